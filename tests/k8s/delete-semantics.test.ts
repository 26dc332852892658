/**
 * Deleting the workload manifests keeps the data (issue 11, item 9). The generated objects are
 * applied to a model of the API server's delete semantics (./cluster-model.ts) and every way of
 * deleting the workloads an operator has — `kubectl delete -f <mode>.k8s.yaml`, the monitoring
 * file, `skaffold delete` of every profile combination, scaling the StatefulSet to 0 for a restore —
 * must leave the Namespace and every PersistentVolumeClaim in place.
 */
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import YAML from "yaml";
import { Cluster } from "./cluster-model";
import { DIST, ROOT, find, readManifestFile, type K8sObject } from "./manifests";

/* eslint-disable @typescript-eslint/no-explicit-any */
const MODES = ["single", "scaled"] as const;
const file = (name: string) => readManifestFile(path.join(DIST, name));
const storageFile = (mode: string) => `${mode}-storage.k8s.yaml`;
const workloadFiles = (mode: string) => [`${mode}.k8s.yaml`, `${mode}-monitoring.k8s.yaml`];

function deployed(mode: string): Cluster {
  return new Cluster().apply([storageFile(mode), ...workloadFiles(mode)].flatMap(file));
}

function volumesAndNamespace(cluster: Cluster) {
  return {
    namespaces: cluster.list("Namespace").map((o) => o.name),
    claims: cluster
      .list("PersistentVolumeClaim")
      .map((o) => o.name)
      .sort(),
  };
}

/** The rawYaml files `skaffold run/delete -p <profiles>` uses (profiles replace or append, in order). */
function skaffoldFiles(profiles: string[]): string[] {
  const config = YAML.parse(fs.readFileSync(path.join(ROOT, "skaffold.yaml"), "utf8")) as any;
  let files: string[] = [...config.manifests.rawYaml];
  for (const name of profiles) {
    const profile = config.profiles.find((p: any) => p.name === name);
    if (!profile) throw new Error(`no skaffold profile ${name}`);
    if (profile.manifests?.rawYaml) files = [...profile.manifests.rawYaml];
    for (const patch of profile.patches ?? []) {
      if (patch.op === "add" && patch.path === "/manifests/rawYaml/-") files.push(patch.value);
      else throw new Error(`unmodelled skaffold patch ${JSON.stringify(patch)}`);
    }
  }
  return files.map((f) => path.relative("k8s/dist", f));
}

describe.each(MODES)("%s mode", (mode) => {
  const expected = () => volumesAndNamespace(deployed(mode));

  it("deploys the Namespace and the volumes: the backups claim, and the data claim in single mode", () => {
    expect(expected()).toEqual({
      namespaces: ["prompt-builder"],
      claims: mode === "single" ? ["data-prompt-builder-0", "prompt-builder-backups"] : ["prompt-builder-backups"],
    });
  });

  it("keeps the Namespace and every claim through `kubectl delete -f` of each workload file", () => {
    for (const name of workloadFiles(mode)) {
      const cluster = deployed(mode).delete(file(name));
      expect(volumesAndNamespace(cluster), name).toEqual(expected());
      // The delete did remove what the file holds (the model is not a no-op).
      for (const o of file(name))
        expect(cluster.has(o.kind, o.metadata.namespace, o.metadata.name), `${o.kind}/${o.metadata.name}`).toBe(false);
    }
  });

  it("holds no Namespace or PersistentVolumeClaim in a workload file, and nothing else in the storage file", () => {
    for (const name of workloadFiles(mode)) {
      expect(
        file(name).filter((o) => ["Namespace", "PersistentVolumeClaim"].includes(o.kind)),
        name,
      ).toEqual([]);
    }
    expect(new Set(file(storageFile(mode)).map((o) => o.kind))).toEqual(
      new Set(["Namespace", "PersistentVolumeClaim"]),
    );
  });

  it("retains the StatefulSet's claims explicitly, on delete and on scale-down", () => {
    if (mode !== "single") return;
    const sts = find(file("single.k8s.yaml"), "StatefulSet");
    expect(sts.spec.persistentVolumeClaimRetentionPolicy).toEqual({ whenDeleted: "Retain", whenScaled: "Retain" });
    // The restore runbook scales to 0 and back (docs/operations.md).
    const cluster = deployed(mode).scaleStatefulSet("prompt-builder", sts.metadata.name, 0);
    expect(volumesAndNamespace(cluster)).toEqual(expected());
  });
});

describe("skaffold delete", () => {
  const combos = [
    [],
    ["single"],
    ["scaled"],
    ["monitoring"],
    ["scaled", "monitoring-scaled"],
    ["single", "monitoring"],
  ];

  it.each(combos.map((c) => [c.join(",") || "(default)", c] as const))(
    "-p %s deploys workload files only and keeps the volumes",
    (_, profiles) => {
      const files = skaffoldFiles([...profiles]);
      expect(files.length).toBeGreaterThan(0);
      for (const f of files) expect(f, f).not.toMatch(/storage/);
      const mode = files.some((f) => f.startsWith("scaled")) ? "scaled" : "single";
      const cluster = deployed(mode).delete(files.flatMap(file));
      expect(volumesAndNamespace(cluster)).toEqual(volumesAndNamespace(deployed(mode)));
    },
  );
});

describe("the delete model itself", () => {
  const storage = file("single-storage.k8s.yaml");
  const workloads = file("single.k8s.yaml");
  const sts = find(workloads, "StatefulSet");
  const withPolicy = (policy: object): K8sObject[] =>
    workloads.map((o) =>
      o === sts ? { ...sts, spec: { ...sts.spec, persistentVolumeClaimRetentionPolicy: policy } } : o,
    );

  it("loses every volume when the Namespace is in the deleted file (the layout this replaces)", () => {
    const cluster = new Cluster().apply([...storage, ...workloads]).delete([...storage, ...workloads]);
    expect(cluster.list("PersistentVolumeClaim")).toEqual([]);
    const namespaceInWorkloads = [find(storage, "Namespace"), ...workloads];
    expect(
      new Cluster()
        .apply([...storage, ...workloads])
        .delete(namespaceInWorkloads)
        .list("PersistentVolumeClaim"),
    ).toEqual([]);
  });

  it("loses the data claim with the StatefulSet only when whenDeleted is Delete", () => {
    const claims = (policy: object) =>
      new Cluster()
        .apply([...storage, ...withPolicy(policy)])
        .delete(withPolicy(policy))
        .list("PersistentVolumeClaim")
        .map((o) => o.name)
        .sort();
    expect(claims({ whenDeleted: "Delete", whenScaled: "Retain" })).toEqual(["prompt-builder-backups"]);
    expect(claims({ whenDeleted: "Retain", whenScaled: "Retain" })).toEqual([
      "data-prompt-builder-0",
      "prompt-builder-backups",
    ]);
  });

  it("loses the data claim on scale to 0 only when whenScaled is Delete", () => {
    const cluster = new Cluster().apply([...storage, ...withPolicy({ whenDeleted: "Retain", whenScaled: "Delete" })]);
    cluster.scaleStatefulSet("prompt-builder", sts.metadata.name, 0);
    expect(cluster.has("PersistentVolumeClaim", "prompt-builder", "data-prompt-builder-0")).toBe(false);
  });
});
