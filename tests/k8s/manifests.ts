/** Reading the synthesised manifests (k8s/dist) for the k8s and deploy tests. */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import YAML from "yaml";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const DIST = path.join(ROOT, "k8s", "dist");

export type K8sObject = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  [key: string]: unknown;
};

export function readManifestFile(file: string): K8sObject[] {
  return YAML.parseAllDocuments(fs.readFileSync(file, "utf8"))
    .map((doc) => {
      if (doc.errors.length) throw new Error(`${file}: ${doc.errors[0]!.message}`);
      return doc.toJS() as K8sObject | null;
    })
    .filter((o): o is K8sObject => o !== null);
}

export function distFiles(): string[] {
  return fs
    .readdirSync(DIST)
    .filter((f) => f.endsWith(".k8s.yaml"))
    .sort();
}

/** Everything one mode applies: the storage file (Namespace, volumes), the workloads, and monitoring. */
export function loadMode(mode: "single" | "scaled", withMonitoring = true): K8sObject[] {
  const files = [
    `${mode}-storage.k8s.yaml`,
    `${mode}.k8s.yaml`,
    ...(withMonitoring ? [`${mode}-monitoring.k8s.yaml`] : []),
  ];
  return files.flatMap((f) => readManifestFile(path.join(DIST, f)));
}

export function find(objects: K8sObject[], kind: string, name?: string): K8sObject {
  const found = objects.find((o) => o.kind === kind && (name === undefined || o.metadata.name === name));
  if (!found) throw new Error(`no ${kind}${name ? ` ${name}` : ""} in the manifests`);
  return found;
}

/** Pod specs of every workload: [owner, podSpec, podTemplateMetadata]. */
export function podSpecs(objects: K8sObject[]) {
  const out: Array<{ owner: K8sObject; spec: any; metadata: any }> = []; // eslint-disable-line @typescript-eslint/no-explicit-any
  for (const o of objects) {
    if (["Deployment", "StatefulSet", "DaemonSet", "Job"].includes(o.kind))
      out.push({ owner: o, spec: o.spec.template.spec, metadata: o.spec.template.metadata });
    if (o.kind === "CronJob")
      out.push({
        owner: o,
        spec: o.spec.jobTemplate.spec.template.spec,
        metadata: o.spec.jobTemplate.spec.template.metadata,
      });
  }
  return out;
}
