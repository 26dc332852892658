/**
 * Pod simulation: runs the single-mode StatefulSet pod and the backup CronJob the way the kubelet
 * would, from the generated manifests (k8s/dist/single.k8s.yaml) rather than from assumptions.
 *
 * - The container filesystem is the runtime payload (exactly what the Dockerfile's runtime stage
 *   copies); each volumeMount's mountPath is mapped to a folder in the payload (/app/data,
 *   /app/backups, /tmp), and env values under a mount path are mapped the same way.
 * - Env is the container's envFrom ConfigMap (from the same file) plus its env entries (optional
 *   secretKeyRefs whose Secret is absent are left unset, as the kubelet does).
 * - Processes run as the pod's runAsUser/runAsGroup when the tests run as root.
 * - Ports: the manifest's container ports are checked against PORT/METRICS_PORT and then mapped to
 *   free host ports (like a port-forward), so parallel tests never collide.
 * The init container runs first; the startup probe is polled with its own period, timeout and
 * failure threshold; readiness and liveness are polled on the paths and named ports the manifest
 * gives. Then rows are written continuously while the CronJob's command runs; the backup is
 * restored into a fresh folder and must hold every row committed before the backup started and
 * pass integrity_check.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import readline from "node:readline";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { find, loadMode } from "../k8s/manifests";
import { freePorts, stopProcess, waitFor } from "../support/server";
import { buildRuntimePayload, isRoot, type RuntimePayload } from "./runtime-payload";

/* eslint-disable @typescript-eslint/no-explicit-any */
const objects = loadMode("single", false);
const sts = find(objects, "StatefulSet");
const cron = find(objects, "CronJob");
const configMap = find(objects, "ConfigMap") as ReturnType<typeof find> & { data: Record<string, string> };
const podSpec = sts.spec.template.spec;
const [appContainer] = podSpec.containers;
const [initContainer] = podSpec.initContainers;
const cronPod = cron.spec.jobTemplate.spec.template.spec;
const [backupContainer] = cronPod.containers;

let payload: RuntimePayload;
let server: ChildProcess | undefined;
let writer: ChildProcess | undefined;
let serverLog = "";
const hostPorts = new Map<number, number>();

/** mountPath → folder in the payload standing in for the volume. */
function mounts(): Array<[string, string]> {
  return [
    ["/app/data", payload.data],
    ["/app/backups", payload.backups],
    ["/tmp", payload.tmp],
  ];
}

function mapPath(value: string): string {
  for (const [mountPath, dir] of mounts()) {
    if (value === mountPath || value.startsWith(`${mountPath}/`)) return dir + value.slice(mountPath.length);
    const fileUrl = `file:${mountPath}`;
    if (value.startsWith(`${fileUrl}/`)) return `file:${dir}${value.slice(fileUrl.length)}`;
  }
  return value;
}

function containerEnv(container: any): NodeJS.ProcessEnv {
  const env: Record<string, string | undefined> = { PATH: process.env.PATH };
  for (const source of container.envFrom ?? []) {
    expect(source.configMapRef?.name).toBe(configMap.metadata.name);
    Object.assign(env, configMap.data);
  }
  for (const e of container.env ?? []) {
    if (e.value !== undefined) env[e.name] = e.value;
    else if (e.valueFrom?.secretKeyRef)
      expect(e.valueFrom.secretKeyRef.optional, `${e.name} needs a Secret`).toBe(true);
  }
  for (const [key, value] of Object.entries(env)) if (value) env[key] = mapPath(value);
  // Port mapping (see the header): the process listens where the port-forward points.
  if (env.PORT) env.PORT = String(hostPorts.get(Number(env.PORT)));
  if (env.METRICS_PORT) env.METRICS_PORT = String(hostPorts.get(Number(env.METRICS_PORT)));
  env.LOG_LEVEL = "warn";
  return env as NodeJS.ProcessEnv;
}

function checkMounts(container: any) {
  for (const m of container.volumeMounts)
    expect(
      mounts().map(([p]) => p),
      `${container.name} mounts ${m.mountPath}`,
    ).toContain(m.mountPath);
}

const userOf = (spec: any) =>
  isRoot() ? { uid: spec.securityContext.runAsUser as number, gid: spec.securityContext.runAsGroup as number } : {};

function spawnCommand(container: any, spec: any) {
  const [bin, ...args] = [...container.command, ...(container.args ?? [])];
  expect(bin).toBe("node");
  return { file: process.execPath, args, options: { cwd: payload.app, env: containerEnv(container), ...userOf(spec) } };
}

function portOf(container: any, name: string | number): number {
  const containerPort =
    typeof name === "number" ? name : container.ports.find((p: any) => p.name === name)?.containerPort;
  expect(containerPort, `port ${name}`).toBeTypeOf("number");
  return hostPorts.get(containerPort)!;
}

async function probeOnce(probe: any): Promise<boolean> {
  const url = `http://127.0.0.1:${portOf(appContainer, probe.httpGet.port)}${probe.httpGet.path}`;
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout((probe.timeoutSeconds ?? 1) * 1000) });
    await res.arrayBuffer();
    return res.status >= 200 && res.status < 400;
  } catch {
    return false;
  }
}

beforeAll(async () => {
  payload = buildRuntimePayload();
  const containerPorts: number[] = appContainer.ports.map((p: { containerPort: number }) => p.containerPort);
  const ports = await freePorts(containerPorts.length);
  containerPorts.forEach((port, i) => hostPorts.set(port, ports[i]!));
}, 120_000);

afterAll(async () => {
  if (writer) await stopProcess(writer);
  if (server) await stopProcess(server);
  payload?.cleanup();
});

describe("single-mode pod simulation", () => {
  it("the manifest's env, ports and user agree with the image", () => {
    const ports = Object.fromEntries(appContainer.ports.map((p: any) => [p.name, p.containerPort]));
    expect(String(ports.http)).toBe(configMap.data.PORT);
    expect(String(ports.metrics)).toBe(configMap.data.METRICS_PORT);
    expect(podSpec.securityContext.runAsUser).toBe(1001);
    expect(cronPod.securityContext.runAsUser).toBe(1001);
    for (const c of [appContainer, initContainer, backupContainer]) checkMounts(c);
  });

  it("runs the init container (migrations) to completion", () => {
    const { file, args, options } = spawnCommand(initContainer, podSpec);
    const result = spawnSync(file, args, { ...options, encoding: "utf8", timeout: 120_000 });
    expect(result.status, result.stderr + result.stdout).toBe(0);
  }, 130_000);

  it("passes the startup probe within its period × failureThreshold, then readiness and liveness", async () => {
    const { file, args, options } = spawnCommand(appContainer, podSpec);
    server = spawn(file, args, { ...options, stdio: ["ignore", "pipe", "pipe"] });
    server.stdout!.on("data", (d: Buffer) => (serverLog += d.toString()));
    server.stderr!.on("data", (d: Buffer) => (serverLog += d.toString()));
    const startup = appContainer.startupProbe;
    let started = false;
    for (let attempt = 0; attempt < startup.failureThreshold && !started; attempt++) {
      await new Promise((r) => setTimeout(r, startup.periodSeconds * 1000));
      started = await probeOnce(startup);
    }
    expect(started, `startup probe never passed: ${serverLog}`).toBe(true);
    for (const probe of [appContainer.readinessProbe, appContainer.livenessProbe]) {
      for (let i = 0; i < 3; i++) {
        expect(await probeOnce(probe), `${probe.httpGet.path} on ${probe.httpGet.port}`).toBe(true);
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  }, 90_000);

  it("backs up with the CronJob's command while writes continue; the restore holds every row committed before the backup started", async () => {
    const dbFile = configMap.data.DATABASE_URL!.replace(/^file:/, "");
    const writerScript = `
      const Database = require(${JSON.stringify(path.join(payload.app, "node_modules", "better-sqlite3"))});
      const db = new Database(${JSON.stringify(mapPath(dbFile))});
      db.pragma("journal_mode = WAL"); db.pragma("busy_timeout = 5000");
      db.exec("CREATE TABLE IF NOT EXISTS pod_simulation_rows (id INTEGER PRIMARY KEY, body TEXT NOT NULL, written_at INTEGER NOT NULL)");
      const insert = db.prepare("INSERT INTO pod_simulation_rows (body, written_at) VALUES (?, ?)");
      let n = 0;
      setInterval(() => {
        const tx = db.transaction(() => { for (let i = 0; i < 20; i++) insert.run("row-" + n++ + "-" + "x".repeat(200), Date.now()); });
        tx();
        process.stdout.write(n + "\\n");
      }, 5);
    `;
    const writerEnv = { PATH: process.env.PATH } as unknown as NodeJS.ProcessEnv;
    const w = spawn(process.execPath, ["-e", writerScript], {
      cwd: payload.app,
      env: writerEnv,
      stdio: ["ignore", "pipe", "inherit"],
      ...userOf(podSpec),
    });
    writer = w;
    let committed = 0;
    readline.createInterface({ input: w.stdout }).on("line", (line) => (committed = Number(line)));
    // Let the table fill up a little.
    while (committed < 2000) await new Promise((r) => setTimeout(r, 20));

    const committedBeforeBackup = committed;
    const { file, args, options } = spawnCommand(backupContainer, cronPod);
    const backup = await new Promise<{ code: number | null; out: string }>((resolve) => {
      const child = spawn(file, args, { ...options, stdio: ["ignore", "pipe", "pipe"] });
      let out = "";
      child.stdout!.on("data", (d: Buffer) => (out += d.toString()));
      child.stderr!.on("data", (d: Buffer) => (out += d.toString()));
      child.on("exit", (code) => resolve({ code, out }));
    });
    const committedAfterBackup = committed;
    await stopProcess(w);
    writer = undefined;
    expect(backup.code, backup.out).toBe(0);
    expect(committedAfterBackup, "writes continued during the backup").toBeGreaterThan(committedBeforeBackup);

    const backups = fs.readdirSync(payload.backups).filter((f) => f.endsWith(".sqlite.gz"));
    expect(backups).toHaveLength(1);
    const fresh = path.join(payload.tmp, "restore-check");
    fs.mkdirSync(fresh);
    if (isRoot()) fs.chownSync(fresh, 1001, 1001);
    const restoreArgs = ["build/cli/restore.js", backups[0]!, "--target", path.join(fresh, "app.db")];
    const restore = spawnSync(process.execPath, restoreArgs, {
      ...spawnCommand(backupContainer, cronPod).options,
      encoding: "utf8",
    });
    expect(restore.status, restore.stderr + restore.stdout).toBe(0);

    const db = new Database(path.join(fresh, "app.db"), { readonly: true });
    try {
      expect(db.pragma("integrity_check", { simple: true })).toBe("ok");
      const { n, max } = db.prepare("SELECT count(*) AS n, max(id) AS max FROM pod_simulation_rows").get() as {
        n: number;
        max: number;
      };
      expect(n).toBeGreaterThanOrEqual(committedBeforeBackup);
      expect(n).toBeLessThanOrEqual(committedAfterBackup);
      // Every row committed before the backup started, and no gaps (ids are dense).
      expect(max).toBe(n);
      const missing = db
        .prepare("SELECT count(*) AS c FROM pod_simulation_rows WHERE id <= ?")
        .get(committedBeforeBackup) as { c: number };
      expect(missing.c).toBe(committedBeforeBackup);
    } finally {
      db.close();
    }

    // The app still answers, and its metric sees the backup: the Job recorded the run in the
    // database (the app pod does not mount the backups volume). The metric caches a few seconds.
    expect(await probeOnce(appContainer.readinessProbe)).toBe(true);
    let value = 0;
    await waitFor(
      async () => {
        const metrics = await (await fetch(`http://127.0.0.1:${portOf(appContainer, "metrics")}/metrics`)).text();
        value = Number(/^backup_last_success_timestamp_seconds (\S+)$/m.exec(metrics)?.[1]);
        return value > 0;
      },
      20_000,
      "the backup metric to see the run",
    );
    expect(Math.abs(value - Date.now() / 1000)).toBeLessThan(120);
  }, 120_000);
});
