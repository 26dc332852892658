/**
 * Scaled mode runs on ReadWriteOnce storage and leaves the replica count to the HPA (issue 11,
 * item 10): no app pod mounts a ReadWriteMany volume (every claim a pod mounts is resolved to its
 * PVC, from the storage file or a volumeClaimTemplate), and no Deployment or StatefulSet that an
 * HPA scales sets `replicas`, which `kubectl apply` would reset on every deploy.
 */
import { describe, expect, it } from "vitest";
import { loadMode, podSpecs, type K8sObject } from "./manifests";

/* eslint-disable @typescript-eslint/no-explicit-any */
function claims(objects: K8sObject[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const o of objects) {
    if (o.kind === "PersistentVolumeClaim") out.set(o.metadata.name, o.spec.accessModes);
    if (o.kind === "StatefulSet") {
      for (const t of o.spec.volumeClaimTemplates ?? []) {
        for (let i = 0; i < (o.spec.replicas ?? 1); i++)
          out.set(`${t.metadata.name}-${o.metadata.name}-${i}`, t.spec.accessModes);
      }
    }
  }
  return out;
}

/** Access modes of every claim a pod of `owner` mounts (volumes and volumeClaimTemplates). */
function mountedAccessModes(
  objects: K8sObject[],
  owner: K8sObject,
  spec: any,
): Array<{ claim: string; modes: string[] }> {
  const known = claims(objects);
  const out: Array<{ claim: string; modes: string[] }> = [];
  const mounted = new Set(
    [...(spec.initContainers ?? []), ...spec.containers].flatMap((c: any) =>
      (c.volumeMounts ?? []).map((m: any) => m.name),
    ),
  );
  for (const v of spec.volumes ?? []) {
    if (!mounted.has(v.name) || !v.persistentVolumeClaim) continue;
    const modes = known.get(v.persistentVolumeClaim.claimName);
    if (!modes)
      throw new Error(`${owner.kind}/${owner.metadata.name} mounts unknown claim ${v.persistentVolumeClaim.claimName}`);
    out.push({ claim: v.persistentVolumeClaim.claimName, modes });
  }
  for (const t of owner.kind === "StatefulSet" ? (owner.spec.volumeClaimTemplates ?? []) : []) {
    if (mounted.has(t.metadata.name)) out.push({ claim: t.metadata.name, modes: t.spec.accessModes });
  }
  return out;
}

describe.each(["single", "scaled"] as const)("%s mode", (mode) => {
  const objects = loadMode(mode);

  it("needs only ReadWriteOnce storage", () => {
    for (const [name, modes] of claims(objects)) expect(modes, name).toEqual(["ReadWriteOnce"]);
  });

  it("mounts no ReadWriteMany volume in any pod, and no claim at all in the app pods but the data volume", () => {
    for (const { owner, spec, metadata } of podSpecs(objects)) {
      const mounted = mountedAccessModes(objects, owner, spec);
      for (const m of mounted)
        expect(m.modes, `${owner.kind}/${owner.metadata.name} ${m.claim}`).not.toContain("ReadWriteMany");
      if (metadata.labels["app.kubernetes.io/component"] === "app") {
        expect(mounted.map((m) => m.claim)).toEqual(mode === "single" ? ["data"] : []);
      }
    }
  });

  it("sets no replicas on a workload an HPA scales", () => {
    const hpas = objects.filter((o) => o.kind === "HorizontalPodAutoscaler");
    if (mode === "scaled") expect(hpas).toHaveLength(1);
    for (const hpa of hpas) {
      const ref = hpa.spec.scaleTargetRef;
      const target = objects.find((o) => o.kind === ref.kind && o.metadata.name === ref.name);
      expect(target, `${ref.kind}/${ref.name}`).toBeDefined();
      expect(target!.spec, `${ref.kind}/${ref.name}`).not.toHaveProperty("replicas");
    }
  });
});

describe("the checks themselves", () => {
  it("notice an RWX claim mounted by the app", () => {
    const objects = structuredClone(loadMode("scaled"));
    const deploy = objects.find((o) => o.kind === "Deployment")!;
    const pvc = objects.find((o) => o.kind === "PersistentVolumeClaim")!;
    pvc.spec.accessModes = ["ReadWriteMany"];
    deploy.spec.template.spec.volumes.push({
      name: "backups",
      persistentVolumeClaim: { claimName: pvc.metadata.name },
    });
    deploy.spec.template.spec.containers[0].volumeMounts.push({ name: "backups", mountPath: "/app/backups" });
    const modes = mountedAccessModes(objects, deploy, deploy.spec.template.spec).flatMap((m) => m.modes);
    expect(modes).toContain("ReadWriteMany");
  });
});
