/**
 * A small model of what the API server and its controllers do to the objects of this chart on
 * `kubectl delete -f` and on scaling a StatefulSet — enough to tell whether a volume survives:
 * - every object named in the file is deleted;
 * - deleting a Namespace deletes every object in it;
 * - the garbage collector deletes dependents of a deleted owner (ownerReferences);
 * - a StatefulSet creates a PVC per replica from each volumeClaimTemplate
 *   (`<template>-<statefulset>-<ordinal>`), owned by the StatefulSet only when
 *   `persistentVolumeClaimRetentionPolicy.whenDeleted` is Delete (the default is Retain), and on
 *   scale-down deletes the PVCs of the removed ordinals only when `whenScaled` is Delete.
 * (Kubernetes docs: "Namespaces", "Garbage Collection", StatefulSet "PersistentVolumeClaim retention".)
 */
import type { K8sObject } from "./manifests";

export type ClusterObject = {
  kind: string;
  namespace?: string;
  name: string;
  ownerKind?: string;
  ownerName?: string;
  source: K8sObject;
};

const key = (o: { kind: string; namespace?: string; name: string }) => `${o.kind}/${o.namespace ?? ""}/${o.name}`;

type Policy = { whenDeleted?: string; whenScaled?: string };

function claimsOf(sts: K8sObject, replicas: number): ClusterObject[] {
  const policy: Policy = sts.spec.persistentVolumeClaimRetentionPolicy ?? {};
  const out: ClusterObject[] = [];
  for (const template of sts.spec.volumeClaimTemplates ?? []) {
    for (let ordinal = 0; ordinal < replicas; ordinal++) {
      out.push({
        kind: "PersistentVolumeClaim",
        namespace: sts.metadata.namespace,
        name: `${template.metadata.name}-${sts.metadata.name}-${ordinal}`,
        ...(policy.whenDeleted === "Delete" ? { ownerKind: "StatefulSet", ownerName: sts.metadata.name } : {}),
        source: {
          apiVersion: "v1",
          kind: "PersistentVolumeClaim",
          metadata: { ...template.metadata, namespace: sts.metadata.namespace },
          spec: template.spec,
        },
      });
    }
  }
  return out;
}

export class Cluster {
  private objects = new Map<string, ClusterObject>();

  /** `kubectl apply -f`: creates the objects and what their controllers create (StatefulSet PVCs). */
  apply(objects: K8sObject[]) {
    for (const o of objects) {
      const obj: ClusterObject = { kind: o.kind, namespace: o.metadata.namespace, name: o.metadata.name, source: o };
      this.objects.set(key(obj), obj);
      if (o.kind === "StatefulSet")
        for (const pvc of claimsOf(o, o.spec.replicas ?? 1)) this.objects.set(key(pvc), pvc);
    }
    return this;
  }

  /** `kubectl delete -f`: the objects named, everything in a deleted Namespace, then garbage collection. */
  delete(objects: K8sObject[]) {
    for (const o of objects) {
      this.objects.delete(key({ kind: o.kind, namespace: o.metadata.namespace, name: o.metadata.name }));
      if (o.kind === "Namespace") {
        for (const [k, obj] of this.objects) if (obj.namespace === o.metadata.name) this.objects.delete(k);
      }
    }
    this.collectGarbage();
    return this;
  }

  /** `kubectl scale statefulset/<name> --replicas=<n>`. */
  scaleStatefulSet(namespace: string, name: string, replicas: number) {
    const sts = this.objects.get(key({ kind: "StatefulSet", namespace, name }));
    if (!sts) throw new Error(`no StatefulSet ${namespace}/${name}`);
    const policy: Policy = sts.source.spec.persistentVolumeClaimRetentionPolicy ?? {};
    const before = claimsOf(sts.source, sts.source.spec.replicas ?? 1);
    const kept = new Set(claimsOf(sts.source, replicas).map(key));
    if (policy.whenScaled === "Delete")
      for (const pvc of before) if (!kept.has(key(pvc))) this.objects.delete(key(pvc));
    for (const pvc of claimsOf(sts.source, replicas)) if (!this.objects.has(key(pvc))) this.objects.set(key(pvc), pvc);
    sts.source = { ...sts.source, spec: { ...sts.source.spec, replicas } };
    return this;
  }

  private collectGarbage() {
    let removed = true;
    while (removed) {
      removed = false;
      for (const [k, obj] of this.objects) {
        if (!obj.ownerKind) continue;
        if (!this.objects.has(key({ kind: obj.ownerKind, namespace: obj.namespace, name: obj.ownerName! }))) {
          this.objects.delete(k);
          removed = true;
        }
      }
    }
  }

  list(kind?: string): ClusterObject[] {
    return [...this.objects.values()].filter((o) => kind === undefined || o.kind === kind);
  }

  has(kind: string, namespace: string | undefined, name: string) {
    return this.objects.has(key({ kind, namespace, name }));
  }
}
