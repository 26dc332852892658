/**
 * Policy checks in the spirit of kube-score and Polaris, on the synthesised manifests of both
 * modes: probes that mean different things, resources, hardened security contexts, fixed image
 * tags, PDBs, NetworkPolicies, CronJob deadlines, labels, selectors that match.
 */
import { describe, expect, it } from "vitest";
import { find, loadMode, podSpecs, type K8sObject } from "./manifests";

/* eslint-disable @typescript-eslint/no-explicit-any */
const MODES = ["single", "scaled"] as const;
const REQUIRED_LABELS = [
  "app.kubernetes.io/name",
  "app.kubernetes.io/instance",
  "app.kubernetes.io/version",
  "app.kubernetes.io/part-of",
  "app.kubernetes.io/managed-by",
];
const matches = (selector: Record<string, string>, labels: Record<string, string> = {}) =>
  Object.entries(selector).every(([k, v]) => labels[k] === v);
const allContainers = (spec: any): any[] => [...(spec.initContainers ?? []), ...spec.containers];

describe.each(MODES)("%s mode", (mode) => {
  const objects = loadMode(mode);
  const pods = podSpecs(objects);
  const appPodLabels = (mode === "single" ? find(objects, "StatefulSet") : find(objects, "Deployment")).spec.template
    .metadata.labels;

  it("labels every object with app.kubernetes.io/*", () => {
    for (const o of objects) {
      for (const label of REQUIRED_LABELS)
        expect(o.metadata.labels?.[label], `${o.kind}/${o.metadata.name} ${label}`).toBeTruthy();
      if (o.kind !== "Namespace") expect(o.metadata.namespace).toBe("prompt-builder");
    }
    for (const { owner, metadata } of pods) {
      for (const label of [...REQUIRED_LABELS, "app.kubernetes.io/component"])
        expect(metadata.labels[label], `${owner.kind} pod ${label}`).toBeTruthy();
    }
  });

  it("runs fixed image tags, never latest", () => {
    for (const { spec } of pods) {
      for (const c of allContainers(spec)) {
        expect(c.image).toMatch(/^[a-z0-9./-]+:[A-Za-z0-9_][A-Za-z0-9_.-]*$/);
        expect(c.image.endsWith(":latest")).toBe(false);
        expect(c.imagePullPolicy).toBe("IfNotPresent");
      }
    }
  });

  it("sets CPU and memory requests and a memory limit on every container", () => {
    for (const { spec } of pods) {
      for (const c of allContainers(spec)) {
        expect(c.resources?.requests?.cpu, c.name).toBeTruthy();
        expect(c.resources?.requests?.memory, c.name).toBeTruthy();
        expect(c.resources?.limits?.memory, c.name).toBeTruthy();
      }
    }
    const app = pods.find((p) => p.metadata.labels["app.kubernetes.io/component"] === "app")!.spec.containers[0];
    expect(app.resources).toEqual({ requests: { cpu: "250m", memory: "256Mi" }, limits: { memory: "512Mi" } });
  });

  it("hardens every pod and container (restricted Pod Security Standard)", () => {
    expect(find(objects, "Namespace").metadata.labels?.["pod-security.kubernetes.io/enforce"]).toBe("restricted");
    for (const { owner, spec } of pods) {
      const where = `${owner.kind}/${owner.metadata.name}`;
      expect(spec.securityContext, where).toMatchObject({
        runAsUser: 1001,
        runAsGroup: 1001,
        fsGroup: 1001,
        runAsNonRoot: true,
        seccompProfile: { type: "RuntimeDefault" },
      });
      expect(spec.automountServiceAccountToken, where).toBe(false);
      expect(spec.hostNetwork ?? false).toBe(false);
      expect(spec.hostPID ?? false).toBe(false);
      expect(spec.hostIPC ?? false).toBe(false);
      expect((spec.volumes ?? []).some((v: any) => v.hostPath)).toBe(false);
      for (const c of allContainers(spec)) {
        expect(c.securityContext, `${where} ${c.name}`).toEqual({
          runAsUser: 1001,
          runAsGroup: 1001,
          runAsNonRoot: true,
          readOnlyRootFilesystem: true,
          allowPrivilegeEscalation: false,
          privileged: false,
          capabilities: { drop: ["ALL"] },
          seccompProfile: { type: "RuntimeDefault" },
        });
        // Read-only root: /tmp is an emptyDir.
        const tmp = c.volumeMounts.find((m: any) => m.mountPath === "/tmp");
        expect(tmp, `${where} ${c.name} /tmp`).toBeTruthy();
        expect(spec.volumes.find((v: any) => v.name === tmp.name).emptyDir).toBeTruthy();
      }
    }
  });

  it("gives the app startup, readiness and liveness probes that check different things on declared ports", () => {
    const appPod = pods.find((p) => p.metadata.labels["app.kubernetes.io/component"] === "app")!;
    const [app] = appPod.spec.containers;
    const portNames = app.ports.map((p: any) => p.name);
    for (const probe of [app.startupProbe, app.readinessProbe, app.livenessProbe]) {
      expect(probe?.httpGet).toBeTruthy();
      expect(portNames).toContain(probe.httpGet.port);
      expect(probe.timeoutSeconds).toBeGreaterThanOrEqual(1);
    }
    expect(app.readinessProbe.httpGet.path).toBe("/api/health");
    expect(app.livenessProbe.httpGet.path).toBe("/healthz");
    expect(app.startupProbe.httpGet.path).toBe("/healthz");
    // kube-score: readiness and liveness must not be identical.
    expect(app.readinessProbe.httpGet.path).not.toBe(app.livenessProbe.httpGet.path);
    expect(app.startupProbe.periodSeconds * app.startupProbe.failureThreshold).toBeGreaterThanOrEqual(30);
    expect(app.lifecycle.preStop.exec.command).toEqual(["sleep", "5"]);
    expect(appPod.spec.terminationGracePeriodSeconds).toBeGreaterThan(5);
    expect(appPod.metadata.annotations).toMatchObject({
      "prometheus.io/scrape": "true",
      "prometheus.io/port": "9464",
      "prometheus.io/path": "/metrics",
    });
    expect(appPod.spec.initContainers.map((c: any) => c.command)).toEqual([["node", "build/cli/migrate.js"]]);
  });

  it("keeps secret values out of the YAML", () => {
    expect(objects.some((o) => o.kind === "Secret")).toBe(false);
    const configMap = find(objects, "ConfigMap");
    for (const key of Object.keys(configMap.data as object)) expect(key).not.toMatch(/SECRET|PASSWORD|TOKEN|DSN/);
    for (const { spec } of pods) {
      for (const c of allContainers(spec)) {
        for (const e of c.env ?? []) {
          if (/SECRET|PASSWORD|TOKEN|DSN/.test(e.name) || (mode === "scaled" && e.name === "DATABASE_URL")) {
            expect(e.value, e.name).toBeUndefined();
            expect(e.valueFrom?.secretKeyRef, e.name).toBeTruthy();
          }
        }
        expect(c.envFrom).toEqual([{ configMapRef: { name: configMap.metadata.name } }]);
      }
    }
  });

  it("selects pods consistently (workload, Service, PDB, NetworkPolicy, ServiceMonitor)", () => {
    const workload = mode === "single" ? find(objects, "StatefulSet") : find(objects, "Deployment");
    expect(matches(workload.spec.selector.matchLabels, appPodLabels)).toBe(true);
    expect(workload.spec.selector.matchLabels["app.kubernetes.io/version"]).toBeUndefined();
    const service = find(objects, "Service", "prompt-builder");
    expect(matches(service.spec.selector, appPodLabels)).toBe(true);
    const containerPorts = workload.spec.template.spec.containers[0].ports.map((p: any) => p.name);
    for (const p of service.spec.ports) expect(containerPorts).toContain(p.targetPort);
    expect(service.metadata.annotations).toMatchObject({
      "prometheus.io/scrape": "true",
      "prometheus.io/port": "9464",
    });
    const monitor = find(objects, "ServiceMonitor");
    expect(matches(monitor.spec.selector.matchLabels, service.metadata.labels)).toBe(true);
    expect(service.spec.ports.map((p: any) => p.name)).toContain(monitor.spec.endpoints[0].port);
  });

  it("has a PodDisruptionBudget for the app", () => {
    const pdb = find(objects, "PodDisruptionBudget");
    expect(matches(pdb.spec.selector.matchLabels, appPodLabels)).toBe(true);
    if (mode === "single") expect(pdb.spec.maxUnavailable).toBe(1);
    else {
      // The HPA's floor is the fewest replicas that run: the PDB must still allow one eviction there.
      const replicas = find(objects, "HorizontalPodAutoscaler").spec.minReplicas;
      expect(pdb.spec.minAvailable).toBeGreaterThanOrEqual(1);
      expect(pdb.spec.minAvailable).toBeLessThan(replicas);
    }
  });

  it("covers every pod with a default-deny NetworkPolicy that opens only what is needed", () => {
    const policies = objects.filter((o) => o.kind === "NetworkPolicy");
    for (const { owner, metadata } of pods) {
      const covering = policies.filter((p) => matches(p.spec.podSelector.matchLabels, metadata.labels));
      expect(covering.length, `${owner.kind}/${owner.metadata.name}`).toBe(1);
      expect(covering[0]!.spec.policyTypes).toEqual(["Ingress", "Egress"]);
    }
    const app = policies.find((p) => matches(p.spec.podSelector.matchLabels, appPodLabels))!;
    expect(app.spec.ingress).toEqual([
      {
        from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "ingress-nginx" } } }],
        ports: [{ port: 3000, protocol: "TCP" }],
      },
      {
        from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "monitoring" } } }],
        ports: [{ port: 9464, protocol: "TCP" }],
      },
    ]);
    // Only the ingress controller reaches the app port, so exactly one proxy appends to
    // X-Forwarded-For: the rate limits must trust that one hop (and no more, or clients could forge it).
    expect((find(objects, "ConfigMap").data as Record<string, string>).TRUST_PROXY).toBe("1");
    const egressPorts = app.spec.egress.flatMap((r: any) => r.ports.map((p: any) => `${p.protocol}/${p.port}`));
    expect(egressPorts).toEqual(mode === "single" ? ["UDP/53", "TCP/53"] : ["UDP/53", "TCP/53", "TCP/5432"]);
    const backup = policies.find((p) => p.metadata.name === "prompt-builder-backup")!;
    expect(backup.spec.ingress).toEqual([]);
  });

  it("routes only the app port through TLS Ingresses, rate-limiting /api", () => {
    const ingresses = objects.filter((o) => o.kind === "Ingress");
    expect(ingresses.map((i) => i.spec.rules[0].http.paths[0].path).sort()).toEqual(["/", "/api"]);
    for (const ing of ingresses) {
      expect(ing.spec.ingressClassName).toBe("nginx");
      expect(ing.spec.tls[0].hosts).toEqual([ing.spec.rules[0].host]);
      expect(ing.spec.tls[0].secretName).toBe("prompt-builder-tls");
      expect(ing.spec.rules[0].http.paths[0].backend.service.port).toEqual({ name: "http" });
      expect(ing.metadata.annotations).toMatchObject({
        "nginx.ingress.kubernetes.io/force-ssl-redirect": "true",
        "nginx.ingress.kubernetes.io/proxy-body-size": "1m",
      });
    }
    const api = ingresses.find((i) => i.spec.rules[0].http.paths[0].path === "/api")!;
    const rps = Number(api.metadata.annotations!["nginx.ingress.kubernetes.io/limit-rps"]);
    const multiplier = Number(api.metadata.annotations!["nginx.ingress.kubernetes.io/limit-burst-multiplier"]);
    expect([rps, rps * multiplier]).toEqual([10, 20]);
    const root = ingresses.find((i) => i.spec.rules[0].http.paths[0].path === "/")!;
    expect(root.metadata.annotations!["nginx.ingress.kubernetes.io/limit-rps"]).toBeUndefined();
  });

  it("runs the backup CronJob with deadlines, no overlap and bounded history", () => {
    const cron = find(objects, "CronJob", "prompt-builder-backup");
    expect(cron.spec).toMatchObject({
      schedule: "0 2 * * *",
      concurrencyPolicy: "Forbid",
      successfulJobsHistoryLimit: 3,
      failedJobsHistoryLimit: 5,
    });
    expect(cron.spec.startingDeadlineSeconds).toBeGreaterThanOrEqual(60);
    expect(cron.spec.startingDeadlineSeconds).toBeLessThanOrEqual(3600);
    const job = cron.spec.jobTemplate.spec;
    expect(job.activeDeadlineSeconds).toBeGreaterThan(0);
    expect(job.activeDeadlineSeconds).toBeLessThanOrEqual(3600);
    expect(job.backoffLimit).toBeLessThanOrEqual(3);
    expect(job.template.spec.restartPolicy).toBe("Never");
    const [c] = job.template.spec.containers;
    expect(c.command).toEqual(["node", "build/cli/backup.js"]);
    const mounts = Object.fromEntries(c.volumeMounts.map((m: any) => [m.mountPath, m]));
    const volumes = Object.fromEntries(job.template.spec.volumes.map((v: any) => [v.name, v]));
    expect(volumes[mounts["/app/backups"].name].persistentVolumeClaim.claimName).toBe("prompt-builder-backups");
    if (mode === "single") {
      // The data volume is the StatefulSet's claim for pod 0, ReadWriteOnce: the job must run on the same node.
      const sts = find(objects, "StatefulSet");
      expect(volumes[mounts["/app/data"].name].persistentVolumeClaim.claimName).toBe(
        `${sts.spec.volumeClaimTemplates[0].metadata.name}-${sts.metadata.name}-0`,
      );
      const [term] = job.template.spec.affinity.podAffinity.requiredDuringSchedulingIgnoredDuringExecution;
      expect(term.topologyKey).toBe("kubernetes.io/hostname");
      expect(matches(term.labelSelector.matchLabels, appPodLabels)).toBe(true);
    } else {
      expect(mounts["/app/data"]).toBeUndefined();
      expect(job.template.spec.affinity).toBeUndefined();
    }
  });

  it("purges the trash on a schedule with the image's command, beside the app and without the backups volume", () => {
    const cron = find(objects, "CronJob", "prompt-builder-trash-purge");
    expect(cron.spec).toMatchObject({ schedule: "30 3 * * *", concurrencyPolicy: "Forbid" });
    const pod = cron.spec.jobTemplate.spec.template.spec;
    const [c] = pod.containers;
    expect(c.command).toEqual(["node", "build/cli/trash-purge.js"]);
    const paths = c.volumeMounts.map((m: any) => m.mountPath);
    expect(paths).not.toContain("/app/backups");
    expect(paths.includes("/app/data")).toBe(mode === "single");
    const policy = find(objects, "NetworkPolicy", "prompt-builder-trash-purge");
    expect(matches(policy.spec.podSelector.matchLabels, cron.spec.jobTemplate.spec.template.metadata.labels)).toBe(
      true,
    );
    expect(policy.spec.ingress).toEqual([]);
  });

  it("keeps the backups volume to the backup Job: the app reads backup runs from the database", () => {
    const workload = mode === "single" ? find(objects, "StatefulSet") : find(objects, "Deployment");
    const podSpec = workload.spec.template.spec;
    for (const c of allContainers(podSpec))
      expect(c.volumeMounts.map((m: any) => m.mountPath)).not.toContain("/app/backups");
    expect(podSpec.volumes.some((v: any) => v.persistentVolumeClaim?.claimName === "prompt-builder-backups")).toBe(
      false,
    );
    const pvc = find(objects, "PersistentVolumeClaim", "prompt-builder-backups");
    expect(pvc.spec.accessModes).toEqual(["ReadWriteOnce"]);
  });

  it("alerts on down, 5xx ratio, p95 latency and stale backups", () => {
    const rule = find(objects, "PrometheusRule");
    const alerts = Object.fromEntries(rule.spec.groups[0].rules.map((r: any) => [r.alert, r.expr]));
    expect(Object.keys(alerts)).toEqual([
      "PromptBuilderDown",
      "PromptBuilderHighErrorRate",
      "PromptBuilderSlowResponses",
      "PromptBuilderBackupStale",
    ]);
    expect(alerts.PromptBuilderHighErrorRate).toContain("> 0.05");
    expect(alerts.PromptBuilderSlowResponses).toMatch(/histogram_quantile\(0\.95.*> 1$/);
    expect(alerts.PromptBuilderBackupStale).toContain("backup_last_success_timestamp_seconds");
    expect(alerts.PromptBuilderBackupStale).toContain("26 * 3600");
  });
});

describe("single mode specifics", () => {
  const objects = loadMode("single");
  it("is one StatefulSet replica with a volumeClaimTemplate at /app/data and a headless governing Service", () => {
    const sts = find(objects, "StatefulSet");
    expect(sts.spec.replicas).toBe(1);
    expect(sts.spec.volumeClaimTemplates[0].spec).toMatchObject({
      accessModes: ["ReadWriteOnce"],
      resources: { requests: { storage: "1Gi" } },
    });
    const name = sts.spec.volumeClaimTemplates[0].metadata.name;
    for (const c of [...sts.spec.template.spec.initContainers, ...sts.spec.template.spec.containers]) {
      expect(c.volumeMounts).toContainEqual({ name, mountPath: "/app/data" });
    }
    const headless = find(objects, "Service", sts.spec.serviceName);
    expect(headless.spec.clusterIP).toBe("None");
    expect((find(objects, "ConfigMap").data as Record<string, string>).DATABASE_URL).toBe("file:/app/data/app.db");
    expect(objects.some((o) => o.kind === "Deployment" || o.kind === "HorizontalPodAutoscaler")).toBe(false);
  });
});

describe("scaled mode specifics", () => {
  const objects: K8sObject[] = loadMode("scaled");
  it("is a Deployment sized by an HPA 3–10 at 70% CPU, with zero-unavailable rolling updates and topology spread", () => {
    const deploy = find(objects, "Deployment");
    expect(deploy.spec).not.toHaveProperty("replicas");
    expect(deploy.spec.strategy).toEqual({ type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } });
    const hpa = find(objects, "HorizontalPodAutoscaler");
    expect(hpa.spec).toMatchObject({
      scaleTargetRef: { kind: "Deployment", name: deploy.metadata.name },
      minReplicas: 3,
      maxReplicas: 10,
    });
    expect(hpa.spec.metrics[0].resource).toEqual({
      name: "cpu",
      target: { type: "Utilization", averageUtilization: 70 },
    });
    const keys = deploy.spec.template.spec.topologySpreadConstraints.map((t: any) => t.topologyKey);
    expect(keys).toEqual(["kubernetes.io/hostname", "topology.kubernetes.io/zone"]);
    const env = deploy.spec.template.spec.containers[0].env.find((e: any) => e.name === "DATABASE_URL");
    expect(env.valueFrom.secretKeyRef).toEqual({ name: "prompt-builder-database", key: "DATABASE_URL" });
    expect((find(objects, "ConfigMap").data as Record<string, string>).DATABASE_URL).toBeUndefined();
    expect(objects.some((o) => o.kind === "StatefulSet")).toBe(false);
  });
});
