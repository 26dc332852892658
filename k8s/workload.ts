/**
 * The app workload. single: a StatefulSet of one pod with its own volume (SQLite allows one
 * writer). scaled: a Deployment of stateless replicas on PostgreSQL, with an HPA (which alone sets
 * the replica count) and topology spread. Both run the migrations in an init container from the same image.
 */
import { k8s } from "cdk8s-plus-27";
import type { Construct } from "constructs";
import type { ChartConfig } from "./config";
import { labels, names, selectorLabels } from "./labels";
import { appContainer, migrateContainer, podSecurityContext, prometheusAnnotations, tmpVolume } from "./pod";
import crypto from "node:crypto";

function podTemplate(config: ChartConfig, configMapData: Record<string, string>): k8s.PodTemplateSpec {
  const checksum = crypto.createHash("sha256").update(JSON.stringify(configMapData)).digest("hex");
  const spread: k8s.TopologySpreadConstraint[] =
    config.mode === "scaled"
      ? [
          {
            maxSkew: 1,
            topologyKey: "kubernetes.io/hostname",
            whenUnsatisfiable: "DoNotSchedule",
            labelSelector: { matchLabels: selectorLabels(config, "app") },
          },
          {
            maxSkew: 1,
            topologyKey: "topology.kubernetes.io/zone",
            whenUnsatisfiable: "ScheduleAnyway",
            labelSelector: { matchLabels: selectorLabels(config, "app") },
          },
        ]
      : [];
  return {
    metadata: {
      labels: labels(config, "app"),
      // The ConfigMap's checksum: changing a setting rolls the pods.
      annotations: { ...prometheusAnnotations(), "checksum/config": checksum },
    },
    spec: {
      serviceAccountName: names(config).serviceAccount,
      automountServiceAccountToken: false,
      enableServiceLinks: false,
      securityContext: podSecurityContext(),
      terminationGracePeriodSeconds: 30,
      initContainers: [migrateContainer(config)],
      containers: [appContainer(config)],
      volumes: [tmpVolume],
      ...(spread.length ? { topologySpreadConstraints: spread } : {}),
    },
  };
}

export function addWorkload(scope: Construct, config: ChartConfig, configMapData: Record<string, string>) {
  const n = names(config);
  const metadata = { name: n.app, namespace: config.namespace, labels: labels(config, "app") };
  const selector = { matchLabels: selectorLabels(config, "app") };
  const template = podTemplate(config, configMapData);

  if (config.mode === "single") {
    new k8s.KubeStatefulSet(scope, "statefulset", {
      metadata,
      spec: {
        replicas: 1,
        serviceName: n.headless,
        podManagementPolicy: "OrderedReady",
        // The Kubernetes default, stated so no one flips it: the data PVC outlives the StatefulSet
        // (deleted or scaled to 0); only an operator deletes it.
        persistentVolumeClaimRetentionPolicy: { whenDeleted: "Retain", whenScaled: "Retain" },
        updateStrategy: { type: "RollingUpdate" },
        selector,
        template,
        volumeClaimTemplates: [
          {
            metadata: { name: n.dataVolume, labels: labels(config, "app") },
            spec: {
              accessModes: ["ReadWriteOnce"],
              ...(config.storage.className ? { storageClassName: config.storage.className } : {}),
              resources: { requests: { storage: k8s.Quantity.fromString(config.storage.size) } },
            },
          },
        ],
      },
    });
    // One pod holds the only copy of the database: a voluntary eviction is allowed (so node drains
    // are never blocked), but never more than that one pod at a time.
    new k8s.KubePodDisruptionBudget(scope, "pdb", {
      metadata: { name: n.app, namespace: config.namespace, labels: labels(config, "app") },
      spec: { maxUnavailable: k8s.IntOrString.fromNumber(1), selector },
    });
    return;
  }

  new k8s.KubeDeployment(scope, "deployment", {
    metadata,
    spec: {
      // No `replicas`: the HPA owns the count, and a value here would reset it on every apply.
      // A new Deployment starts at 1 and the HPA raises it to minReplicas within one sync period.
      revisionHistoryLimit: 5,
      strategy: {
        type: "RollingUpdate",
        rollingUpdate: { maxUnavailable: k8s.IntOrString.fromNumber(0), maxSurge: k8s.IntOrString.fromNumber(1) },
      },
      minReadySeconds: 5,
      selector,
      template,
    },
  });
  new k8s.KubeHorizontalPodAutoscalerV2(scope, "hpa", {
    metadata: { name: n.app, namespace: config.namespace, labels: labels(config, "app") },
    spec: {
      scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: n.app },
      minReplicas: config.scaled.minReplicas,
      maxReplicas: config.scaled.maxReplicas,
      metrics: [
        {
          type: "Resource",
          resource: { name: "cpu", target: { type: "Utilization", averageUtilization: config.scaled.cpuUtilization } },
        },
      ],
    },
  });
  new k8s.KubePodDisruptionBudget(scope, "pdb", {
    metadata: { name: n.app, namespace: config.namespace, labels: labels(config, "app") },
    spec: { minAvailable: k8s.IntOrString.fromNumber(config.scaled.minReplicas - 1), selector },
  });
}
