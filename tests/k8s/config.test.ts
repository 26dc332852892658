/** The chart's typed configuration: defaults, validation, K8S_* overrides. */
import { describe, expect, it } from "vitest";
import { configInputFromEnv, parseConfig } from "../../k8s/config";
import { buildApp } from "../../k8s/synth";
import pkg from "../../package.json";

describe("chart configuration", () => {
  it("has the documented defaults", () => {
    const c = parseConfig();
    expect(c.mode).toBe("single");
    expect(c.image).toEqual({ repository: "ghcr.io/prompt-builder/prompt-builder", tag: pkg.version });
    expect(c.backup).toEqual({ schedule: "0 2 * * *", retentionDays: 30, size: "5Gi" });
    expect(c.storage).toEqual({ size: "1Gi" });
    expect(c.ingress.className).toBe("nginx");
  });

  it.each([
    [
      { image: { repository: "ghcr.io/x/y", tag: "latest" } },
      "image.tag: must be a fixed version or git sha, never latest",
    ],
    [{ image: { repository: "ghcr.io/x/y", tag: "" } }, "image.tag"],
    [{ namespace: "Prompt_Builder" }, "namespace: must be a DNS label"],
    [{ host: "localhost" }, "host: must be a fully qualified host name"],
    [{ storage: { size: "1GB" } }, "storage.size: must be a size such as 512Mi or 5Gi"],
    [{ backup: { schedule: "every day" } }, "backup.schedule: must be a five-field cron expression"],
    [{ backup: { retentionDays: 0 } }, "backup.retentionDays"],
    [{ mode: "cluster" }, "mode"],
    [{ scaled: { minReplicas: 5, maxReplicas: 3 } }, "maxReplicas must be at least minReplicas"],
  ] as const)("rejects %j", (input, message) => {
    expect(() => parseConfig(input as never)).toThrow(message);
  });

  it("takes overrides from K8S_* variables and keeps other defaults", () => {
    const c = parseConfig(
      configInputFromEnv({
        K8S_NAMESPACE: "pb-staging",
        K8S_IMAGE_TAG: "sha-0123abc",
        K8S_HOST: "pb.staging.example.org",
        K8S_STORAGE_CLASS: "fast-ssd",
        K8S_STORAGE_SIZE: "10Gi",
        K8S_BACKUP_SCHEDULE: "30 3 * * *",
        K8S_BACKUP_RETENTION_DAYS: "14",
        K8S_TLS_SECRET: "pb-cert",
      }),
    );
    expect(c.namespace).toBe("pb-staging");
    expect(c.image).toEqual({ repository: "ghcr.io/prompt-builder/prompt-builder", tag: "sha-0123abc" });
    expect(c.storage).toEqual({ className: "fast-ssd", size: "10Gi" });
    expect(c.backup).toMatchObject({ schedule: "30 3 * * *", retentionDays: 14, size: "5Gi" });
    expect(c.tlsSecretName).toBe("pb-cert");
    expect(() => parseConfig(configInputFromEnv({ K8S_IMAGE_TAG: "latest" }))).toThrow("never latest");
  });

  it("puts the configured values into the objects", () => {
    const app = buildApp("/nonexistent", {
      namespace: "pb-x",
      storage: { className: "fast", size: "3Gi" },
      backup: { schedule: "15 1 * * *", retentionDays: 7, size: "9Gi" },
    });
    const single = app.charts.find((c) => c.node.id === "single")!.toJson() as Array<Record<string, any>>; // eslint-disable-line @typescript-eslint/no-explicit-any
    const sts = single.find((o) => o.kind === "StatefulSet")!;
    expect(sts.metadata.namespace).toBe("pb-x");
    expect(sts.spec.volumeClaimTemplates[0].spec).toMatchObject({
      storageClassName: "fast",
      resources: { requests: { storage: "3Gi" } },
    });
    const cron = single.find((o) => o.kind === "CronJob")!;
    expect(cron.spec.schedule).toBe("15 1 * * *");
    expect(single.find((o) => o.kind === "ConfigMap")!.data.BACKUP_RETENTION_DAYS).toBe("7");
    expect(single.every((o) => o.kind === "Namespace" || o.metadata.namespace === "pb-x")).toBe(true);
  });

  it("wires single sign-on: settings in the ConfigMap, the client secret by reference, egress to the provider", () => {
    const input = configInputFromEnv({
      K8S_OIDC_ISSUER: "https://id.example.org:8443/realms/team",
      K8S_OIDC_CLIENT_ID: "prompt-builder",
      K8S_OIDC_ALLOWED_DOMAINS: "example.org",
      K8S_OIDC_DEFAULT_ROLE: "editor",
      K8S_OIDC_DISPLAY_NAME: "Team ID",
      K8S_OIDC_EGRESS_CIDR: "203.0.113.0/24",
    });
    expect(() =>
      parseConfig({ oidc: { issuer: "http://id.example.org", clientId: "x", allowedDomains: "*" } }),
    ).toThrow("oidc.issuer: must be an https URL");
    const single = buildApp("/nonexistent", input)
      .charts.find((c) => c.node.id === "single")!
      .toJson() as Array<
      Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any
    >;
    expect(single.find((o) => o.kind === "ConfigMap")!.data).toMatchObject({
      ENABLE_AUTH: "true",
      OIDC_ISSUER: "https://id.example.org:8443/realms/team",
      OIDC_CLIENT_ID: "prompt-builder",
      OIDC_ALLOWED_DOMAINS: "example.org",
      OIDC_DEFAULT_ROLE: "editor",
      OIDC_DISPLAY_NAME: "Team ID",
    });
    const sts = single.find((o) => o.kind === "StatefulSet")!;
    const app = sts.spec.template.spec.containers.find((c: { name: string }) => c.name === "app");
    expect(app.env).toContainEqual({
      name: "OIDC_CLIENT_SECRET",
      valueFrom: { secretKeyRef: { name: "prompt-builder-secrets", key: "OIDC_CLIENT_SECRET" } },
    });
    const policy = single.find((o) => o.kind === "NetworkPolicy" && o.metadata.name === "prompt-builder")!;
    expect(policy.spec.egress).toContainEqual({
      to: [{ ipBlock: { cidr: "203.0.113.0/24" } }],
      ports: [{ protocol: "TCP", port: 8443 }],
    });
    // Without single sign-on nothing of it is in the chart.
    const plain = buildApp("/nonexistent", {})
      .charts.find((c) => c.node.id === "single")!
      .toJson() as Array<
      Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any
    >;
    expect(JSON.stringify(plain)).not.toContain("OIDC_");
  });
});
