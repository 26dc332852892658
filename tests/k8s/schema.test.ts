/**
 * Every synthesised object validates against the Kubernetes schemas (kubernetes-models v4), and has
 * no field the schema does not know. kubernetes-models does not reject unknown fields, so the
 * object is validated through a Proxy that records every property the compiled validator reads: a
 * property it never reads is not in the schema (a typo such as `readinessprobe`, or a field from a
 * newer API). The Prometheus-operator objects are checked against strict zod shapes of the fields
 * we use, from the monitoring.coreos.com/v1 API reference.
 */
import { createRequire } from "node:module";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { DIST, ROOT, distFiles, readManifestFile, type K8sObject } from "./manifests";

const require = createRequire(import.meta.url);

type Validator = ((data: unknown) => boolean) & {
  errors?: Array<{ instancePath: string; message?: string; keyword: string; params: unknown }> | null;
};

const SCHEMAS: Record<string, string> = {
  "v1/Namespace": "IoK8sApiCoreV1Namespace",
  "v1/ServiceAccount": "IoK8sApiCoreV1ServiceAccount",
  "v1/ConfigMap": "IoK8sApiCoreV1ConfigMap",
  "v1/Service": "IoK8sApiCoreV1Service",
  "v1/PersistentVolumeClaim": "IoK8sApiCoreV1PersistentVolumeClaim",
  "apps/v1/StatefulSet": "IoK8sApiAppsV1StatefulSet",
  "apps/v1/Deployment": "IoK8sApiAppsV1Deployment",
  "batch/v1/CronJob": "IoK8sApiBatchV1CronJob",
  "policy/v1/PodDisruptionBudget": "IoK8sApiPolicyV1PodDisruptionBudget",
  "networking.k8s.io/v1/Ingress": "IoK8sApiNetworkingV1Ingress",
  "networking.k8s.io/v1/NetworkPolicy": "IoK8sApiNetworkingV1NetworkPolicy",
  "autoscaling/v2/HorizontalPodAutoscaler": "IoK8sApiAutoscalingV2HorizontalPodAutoscaler",
};

const MODELS: Record<string, string> = {
  "v1/Namespace": "kubernetes-models/v1/Namespace",
  "v1/ServiceAccount": "kubernetes-models/v1/ServiceAccount",
  "v1/ConfigMap": "kubernetes-models/v1/ConfigMap",
  "v1/Service": "kubernetes-models/v1/Service",
  "v1/PersistentVolumeClaim": "kubernetes-models/v1/PersistentVolumeClaim",
  "apps/v1/StatefulSet": "kubernetes-models/apps/v1/StatefulSet",
  "apps/v1/Deployment": "kubernetes-models/apps/v1/Deployment",
  "batch/v1/CronJob": "kubernetes-models/batch/v1/CronJob",
  "policy/v1/PodDisruptionBudget": "kubernetes-models/policy/v1/PodDisruptionBudget",
  "networking.k8s.io/v1/Ingress": "kubernetes-models/networking.k8s.io/v1/Ingress",
  "networking.k8s.io/v1/NetworkPolicy": "kubernetes-models/networking.k8s.io/v1/NetworkPolicy",
  "autoscaling/v2/HorizontalPodAutoscaler": "kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler",
};

// The compiled schema validators are not in the package's exports map: load them by file.
const schemaValidator = (name: string) =>
  (require(path.join(ROOT, "node_modules", "kubernetes-models", "_schemas", `${name}.js`)) as { validate: Validator })
    .validate;

const typeKey = (o: K8sObject) => `${o.apiVersion}/${o.kind}`;

/** Runs `validate` on a tracking proxy of `data`; returns the paths of properties never read. */
export function unknownFields(validate: Validator, data: unknown): { valid: boolean; unknown: string[] } {
  const read = new Map<object, Set<PropertyKey>>();
  const proxies = new WeakMap<object, object>();
  const wrap = (value: unknown): unknown => {
    if (value === null || typeof value !== "object") return value;
    const target = value as object;
    const cached = proxies.get(target);
    if (cached) return cached;
    const seen = new Set<PropertyKey>();
    read.set(target, seen);
    const proxy = new Proxy(target, {
      get(t, key, receiver) {
        seen.add(key);
        return wrap(Reflect.get(t, key, receiver));
      },
      has(t, key) {
        seen.add(key);
        return Reflect.has(t, key);
      },
      ownKeys(t) {
        // A validator that enumerates keys (a free-form map such as labels) knows them all.
        for (const k of Reflect.ownKeys(t)) seen.add(k);
        return Reflect.ownKeys(t);
      },
    });
    proxies.set(target, proxy);
    return proxy;
  };
  const valid = validate(wrap(data));
  const unknown: string[] = [];
  const walk = (value: unknown, at: string) => {
    if (value === null || typeof value !== "object") return;
    const seen = read.get(value as object);
    for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
      const here = Array.isArray(value) ? `${at}[${key}]` : `${at}.${key}`;
      if (!Array.isArray(value) && (!seen || !seen.has(key))) unknown.push(here);
      else walk(child, here);
    }
  };
  walk(data, "");
  return { valid, unknown };
}

const labelsShape = z.record(z.string(), z.string());
const metadataShape = z.strictObject({
  name: z.string(),
  namespace: z.string(),
  labels: labelsShape,
  annotations: labelsShape.optional(),
});
const selectorShape = z.strictObject({ matchLabels: labelsShape });
const serviceMonitorShape = z.strictObject({
  apiVersion: z.literal("monitoring.coreos.com/v1"),
  kind: z.literal("ServiceMonitor"),
  metadata: metadataShape,
  spec: z.strictObject({
    selector: selectorShape,
    namespaceSelector: z.strictObject({ matchNames: z.array(z.string()).min(1) }),
    endpoints: z
      .array(
        z.strictObject({
          port: z.string(),
          path: z.string().startsWith("/"),
          interval: z.string().regex(/^\d+[smh]$/),
          scrapeTimeout: z.string().regex(/^\d+[smh]$/),
        }),
      )
      .min(1),
  }),
});
const prometheusRuleShape = z.strictObject({
  apiVersion: z.literal("monitoring.coreos.com/v1"),
  kind: z.literal("PrometheusRule"),
  metadata: metadataShape,
  spec: z.strictObject({
    groups: z
      .array(
        z.strictObject({
          name: z.string(),
          rules: z
            .array(
              z.strictObject({
                alert: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/),
                expr: z.string().min(1),
                for: z.string().regex(/^\d+[smh]$/),
                labels: labelsShape,
                annotations: labelsShape,
              }),
            )
            .min(1),
        }),
      )
      .min(1),
  }),
});

const objects = distFiles().flatMap((file) => readManifestFile(path.join(DIST, file)).map((o) => ({ file, o })));

describe("synthesised manifests", () => {
  it("exist for both modes", () => {
    expect(distFiles()).toEqual([
      "scaled-monitoring.k8s.yaml",
      "scaled-storage.k8s.yaml",
      "scaled.k8s.yaml",
      "single-monitoring.k8s.yaml",
      "single-storage.k8s.yaml",
      "single.k8s.yaml",
    ]);
    expect(objects.length).toBeGreaterThan(20);
  });

  it.each(
    objects
      .filter(({ o }) => !o.apiVersion.startsWith("monitoring.coreos.com"))
      .map(({ file, o }) => [`${file} ${o.kind}/${o.metadata.name}`, o] as const),
  )("%s validates against the Kubernetes schema with no unknown fields", async (_, o) => {
    const key = typeKey(o);
    expect(SCHEMAS[key], `no schema mapping for ${key}`).toBeDefined();
    const mod = (await import(MODELS[key]!)) as Record<string, new (data: unknown) => { validate(): void }>;
    const Model = mod[o.kind]!;
    expect(() => new Model(o).validate()).not.toThrow();
    const validate = schemaValidator(SCHEMAS[key]!);
    const result = unknownFields(validate, o);
    expect(result.valid, JSON.stringify(validate.errors)).toBe(true);
    expect(result.unknown).toEqual([]);
  });

  it.each(
    objects
      .filter(({ o }) => o.apiVersion.startsWith("monitoring.coreos.com"))
      .map(({ file, o }) => [`${file} ${o.kind}/${o.metadata.name}`, o] as const),
  )("%s matches the Prometheus-operator shape exactly", (_, o) => {
    const shape = o.kind === "ServiceMonitor" ? serviceMonitorShape : prometheusRuleShape;
    const result = shape.safeParse(o);
    expect(result.success, result.success ? "" : JSON.stringify(result.error.issues)).toBe(true);
  });
});

describe("the unknown-field check itself", () => {
  const validate = schemaValidator("IoK8sApiAppsV1StatefulSet");
  const base = readManifestFile(path.join(DIST, "single.k8s.yaml")).find((o) => o.kind === "StatefulSet")!;

  it("accepts the real StatefulSet", () => {
    expect(unknownFields(validate, base).unknown).toEqual([]);
  });

  it("finds a misspelt field deep in the pod template, which plain validation accepts", () => {
    const bad = structuredClone(base);
    bad.spec.template.spec.containers[0].readinessprobe = { httpGet: { path: "/", port: 3000 } };
    bad.spec.volumeClaimTemplate = [];
    const result = unknownFields(validate, bad);
    expect(result.valid).toBe(true);
    expect(result.unknown).toEqual([".spec.template.spec.containers[0].readinessprobe", ".spec.volumeClaimTemplate"]);
  });

  it("reports schema errors (wrong types)", () => {
    const bad = structuredClone(base);
    bad.spec.replicas = "one";
    expect(unknownFields(validate, bad).valid).toBe(false);
  });
});
