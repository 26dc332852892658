/**
 * compose.yaml (one VM without Kubernetes) runs the same image, commands and hardening as the
 * manifests: checked here against the synthesised pods and the Dockerfile; validated by Debian's
 * docker-compose when it is installed. `npm run test:container` runs it against a real engine.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import YAML from "yaml";
import { ROOT, find, loadMode } from "../k8s/manifests";
import { execForm, parseDockerfile } from "./dockerfile";

/* eslint-disable @typescript-eslint/no-explicit-any */
const COMPOSE = path.join(ROOT, "compose.yaml");
const compose = YAML.parse(fs.readFileSync(COMPOSE, "utf8"), { merge: true }) as any;
const services = compose.services as Record<string, any>;
const single = loadMode("single", false);
const sts = find(single, "StatefulSet");
const cron = find(single, "CronJob");
const podContainer = sts.spec.template.spec.containers[0];

describe("compose.yaml", () => {
  it("runs the manifests' image (repository and default tag) in every app service", () => {
    for (const name of ["migrate", "app", "backup"]) {
      expect(services[name].image, name).toBe(`\${PROMPT_BUILDER_IMAGE:-${podContainer.image}}`);
    }
  });

  it("hardens every app service like the pods: uid 1001, read-only root, no capabilities, /tmp in memory", () => {
    for (const name of ["migrate", "app", "backup"]) {
      const s = services[name];
      expect(s.user, name).toBe("1001:1001");
      expect(s.read_only, name).toBe(true);
      expect(s.cap_drop, name).toEqual(["ALL"]);
      expect(s.security_opt, name).toContain("no-new-privileges:true");
      expect(s.tmpfs, name).toContainEqual(expect.stringMatching(/^\/tmp:/));
    }
  });

  it("mounts named volumes where the pods mount theirs", () => {
    const podPaths = [
      ...podContainer.volumeMounts,
      ...cron.spec.jobTemplate.spec.template.spec.containers[0].volumeMounts,
    ]
      .map((m: any) => m.mountPath)
      .filter((p: string) => p !== "/tmp");
    for (const name of ["migrate", "app", "backup"]) {
      const mounted = services[name].volumes.map((v: string) => v.split(":")[1]);
      for (const p of new Set(podPaths)) expect(mounted, `${name} ${p}`).toContain(p);
      for (const v of services[name].volumes as string[])
        expect(Object.keys(compose.volumes)).toContain(v.split(":")[0]);
    }
  });

  it("runs the manifests' commands: migrate before the app, the CronJob's backup command on a schedule", () => {
    expect(services.migrate.command).toEqual(sts.spec.template.spec.initContainers[0].command);
    expect(services.app.depends_on.migrate.condition).toBe("service_completed_successfully");
    expect(services.backup.depends_on.migrate.condition).toBe("service_completed_successfully");
    expect(services.app.command).toBeUndefined(); // the image's CMD, which the manifests also run
    expect(podContainer.command).toEqual(
      execForm(
        parseDockerfile()
          .stages.at(-1)!
          .instructions.find((i) => i.keyword === "CMD")!.args,
      ),
    );
    expect(services.backup.command.join(" ")).toContain(
      cron.spec.jobTemplate.spec.template.spec.containers[0].command.join(" "),
    );
  });

  it("restarts, limits memory and CPU, checks health on /api/health, drains on stop", () => {
    const app = services.app;
    expect(app.restart).toBe("unless-stopped");
    expect(app.mem_limit).toBe(podContainer.resources.limits.memory.replace("Mi", "m"));
    expect(app.cpus).toBeGreaterThan(0);
    expect(app.healthcheck.test.join(" ")).toContain(podContainer.readinessProbe.httpGet.path);
    expect(app.healthcheck.interval).toBe(`${podContainer.readinessProbe.periodSeconds}s`);
    expect(Number.parseInt(app.stop_grace_period, 10)).toBe(sts.spec.template.spec.terminationGracePeriodSeconds);
    expect(services.backup.restart).toBe("unless-stopped");
    // The image's HEALTHCHECK probes the app port: wrong for the one-off and scheduler services.
    expect(services.migrate.healthcheck.disable).toBe(true);
    expect(services.backup.healthcheck.disable).toBe(true);
  });

  it("publishes the app on loopback by default", () => {
    expect(services.app.ports).toEqual(["${PROMPT_BUILDER_BIND:-127.0.0.1}:${PROMPT_BUILDER_PORT:-3000}:3000"]);
  });

  it("has an optional TLS proxy with the Ingress's rate limits", () => {
    const proxy = services.proxy;
    expect(proxy.profiles).toEqual(["proxy"]);
    expect(proxy.image).toMatch(/^nginx:\d+\.\d+\.\d+-alpine$/);
    const template = proxy.volumes.find((v: string) => v.includes("/etc/nginx/templates/")).split(":")[0];
    const conf = fs.readFileSync(path.join(ROOT, template), "utf8");
    const api = find(single, "Ingress", "prompt-builder-api").metadata.annotations!;
    const rps = Number(api["nginx.ingress.kubernetes.io/limit-rps"]);
    const burst = rps * Number(api["nginx.ingress.kubernetes.io/limit-burst-multiplier"]);
    expect(conf).toContain(`rate=${rps}r/s`);
    expect(conf).toMatch(new RegExp(`location /api/ \\{[^}]*limit_req zone=api burst=${burst}`));
    expect(conf).toContain(`client_max_body_size ${api["nginx.ingress.kubernetes.io/proxy-body-size"]};`);
    expect(conf).toMatch(/listen 443 ssl;/);
    expect(conf).toContain("Strict-Transport-Security");
    expect(conf).toMatch(/return 301 https:/);
  });

  const dockerCompose = spawnSync("docker-compose", ["version"], { encoding: "utf8" });
  it.skipIf(dockerCompose.status !== 0)(
    "validates with docker-compose config, with and without the proxy profile",
    () => {
      for (const args of [
        ["config", "-q"],
        ["--profile", "proxy", "config", "-q"],
      ]) {
        const r = spawnSync("docker-compose", ["-f", COMPOSE, ...args], { encoding: "utf8" });
        expect(r.status, r.stderr).toBe(0);
      }
      const broken = spawnSync("docker-compose", ["-f", "-", "config", "-q"], {
        input: "services:\n  app:\n    mem_limit: [1]\n",
        encoding: "utf8",
      });
      expect(broken.status).not.toBe(0);
    },
  );
});
