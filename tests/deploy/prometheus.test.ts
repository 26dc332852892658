/**
 * Prometheus for real: Debian's prometheus on loopback scrapes the running app's metrics port
 * (static config, job "prompt-builder" as the ServiceMonitor would name it), with the rules the
 * chart emits loaded. Checks the target is up, app metrics are queryable (including the backup
 * freshness gauge), every alert expression evaluates on the scraped data, and `promtool check
 * rules` accepts the PrometheusRule's groups. Needs /usr/bin/prometheus and promtool
 * (apt-get install prometheus); fails, never skips, when they are absent.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import YAML from "yaml";
import { recordBackupRun } from "~/models/backup-runs.server";
import { createDb } from "~/server/db.server";
import { find, loadMode } from "../k8s/manifests";
import { createTestDatabaseUrl } from "../support/databases";
import { freePort, startServer, stopProcess, waitFor, type RunningServer } from "../support/server";

/* eslint-disable @typescript-eslint/no-explicit-any */
const PROMETHEUS = process.env.PROMETHEUS_BIN || "/usr/bin/prometheus";
const PROMTOOL = process.env.PROMTOOL_BIN || "/usr/bin/promtool";
const JOB = "prompt-builder";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "pb-prometheus-"));
const rule = find(loadMode("single"), "PrometheusRule");
const rulesFile = path.join(tmp, "rules.yml");
let app: RunningServer | undefined;
let prometheus: ChildProcess | undefined;
let promLog = "";
let promUrl = "";
let dropDatabase = async () => {};
const backupFinishedAt = new Date(Date.now() - 3600_000);

async function api(pathAndQuery: string): Promise<any> {
  const res = await fetch(`${promUrl}${pathAndQuery}`);
  const body = (await res.json()) as any;
  if (body.status !== "success") throw new Error(`${pathAndQuery}: ${JSON.stringify(body)}`);
  return body.data;
}
const query = (q: string) => api(`/api/v1/query?query=${encodeURIComponent(q)}`);

beforeAll(async () => {
  for (const bin of [PROMETHEUS, PROMTOOL]) {
    if (!fs.existsSync(bin)) throw new Error(`${bin} is missing: apt-get install -y prometheus`);
  }
  fs.writeFileSync(rulesFile, YAML.stringify(rule.spec));
  // A backup run that finished an hour ago, recorded in the app's database: the gauge must report it.
  const database = await createTestDatabaseUrl("sqlite");
  const { db } = createDb(database.url);
  await recordBackupRun(db, {
    startedAt: new Date(backupFinishedAt.getTime() - 2000),
    finishedAt: backupFinishedAt,
    ok: true,
    kind: "sqlite",
    bytes: 1234,
    location: "prompt-builder-x.sqlite.gz",
  });
  // A newer failed run must not count.
  await recordBackupRun(db, {
    startedAt: new Date(),
    finishedAt: new Date(),
    ok: false,
    kind: "sqlite",
    location: "prompt-builder-y.sqlite.gz",
    error: "disk full",
  });
  await db.$disconnect();
  dropDatabase = database.cleanup;
  app = await startServer({ seed: false, databaseUrl: database.url });
  await fetch(`${app.baseUrl}/healthz`);
  await fetch(`${app.baseUrl}/api/health`);

  const port = await freePort();
  promUrl = `http://127.0.0.1:${port}`;
  const config = {
    global: { scrape_interval: "1s", evaluation_interval: "1s" },
    rule_files: [rulesFile],
    scrape_configs: [
      { job_name: JOB, metrics_path: "/metrics", static_configs: [{ targets: [`127.0.0.1:${app.metricsPort}`] }] },
    ],
  };
  const configFile = path.join(tmp, "prometheus.yml");
  fs.writeFileSync(configFile, YAML.stringify(config));
  prometheus = spawn(
    PROMETHEUS,
    [
      `--config.file=${configFile}`,
      `--storage.tsdb.path=${path.join(tmp, "data")}`,
      `--web.listen-address=127.0.0.1:${port}`,
      "--log.level=warn",
    ],
    {
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  prometheus.stdout!.on("data", (d: Buffer) => (promLog += d.toString()));
  prometheus.stderr!.on("data", (d: Buffer) => (promLog += d.toString()));
  await waitFor(async () => (await fetch(`${promUrl}/-/ready`)).ok, 30_000, `Prometheus to be ready (${promLog})`);
}, 90_000);

afterAll(async () => {
  if (prometheus) await stopProcess(prometheus);
  if (app) await app.stop();
  await dropDatabase();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe("Prometheus scraping the app", () => {
  it("has the app's metrics port as an up target", async () => {
    await waitFor(
      async () => {
        const data = await api("/api/v1/targets");
        return data.activeTargets.some((t: any) => t.labels.job === JOB && t.health === "up");
      },
      30_000,
      "the target to be up",
    );
    const up = await query(`up{job="${JOB}"}`);
    expect(up.result.map((r: any) => r.value[1])).toEqual(["1"]);
  }, 40_000);

  it("can query the app's metrics, including the backup freshness gauge", async () => {
    await waitFor(
      async () => (await query(`http_requests_total{job="${JOB}"}`)).result.length > 0,
      15_000,
      "http_requests_total",
    );
    const info = await query(`app_info{job="${JOB}"}`);
    expect(info.result[0].metric.version).toBeTruthy();
    const backup = await query(`backup_last_success_timestamp_seconds{job="${JOB}"}`);
    expect(Number(backup.result[0].value[1])).toBeCloseTo(backupFinishedAt.getTime() / 1000, 0);
  }, 20_000);

  it("evaluates every alert expression on the scraped data; none fires for a healthy app with a fresh backup", async () => {
    for (const r of rule.spec.groups[0].rules) {
      const result = await query(r.expr);
      expect(result.result, `${r.alert}: ${r.expr}`).toEqual([]);
    }
    // The stale-backup expression does fire when the backup is old enough.
    const stale = await query(`time() - max(backup_last_success_timestamp_seconds{job="${JOB}"}) > 1800`);
    expect(stale.result).toHaveLength(1);
  });

  it("loads the chart's rules with every rule healthy", async () => {
    await waitFor(async () => (await api("/api/v1/rules")).groups.length > 0, 10_000, "rules to load");
    const data = await api("/api/v1/rules");
    const rules = data.groups.flatMap((g: any) => g.rules);
    expect(rules.map((r: any) => r.name)).toEqual(rule.spec.groups[0].rules.map((r: any) => r.alert));
    await waitFor(
      async () => (await api("/api/v1/rules")).groups[0].rules.every((r: any) => r.health === "ok"),
      10_000,
      "rule evaluation",
    );
  }, 25_000);
});

describe("promtool", () => {
  it("accepts the PrometheusRule's groups (check rules), for both modes", () => {
    for (const mode of ["single", "scaled"] as const) {
      const file = path.join(tmp, `${mode}-rules.yml`);
      fs.writeFileSync(file, YAML.stringify(find(loadMode(mode), "PrometheusRule").spec));
      const result = spawnSync(PROMTOOL, ["check", "rules", file], { encoding: "utf8" });
      expect(result.status, result.stdout + result.stderr).toBe(0);
      expect(result.stdout).toContain("SUCCESS: 4 rules found");
    }
  });

  it("rejects a broken rule (sanity check)", () => {
    const file = path.join(tmp, "broken.yml");
    fs.writeFileSync(
      file,
      YAML.stringify({ groups: [{ name: "x", rules: [{ alert: "X", expr: "sum(rate(foo[5m])" }] }] }),
    );
    expect(spawnSync(PROMTOOL, ["check", "rules", file], { encoding: "utf8" }).status).not.toBe(0);
  });

  it("accepts the backup gauge's exposition (check metrics)", async () => {
    const text = await (await fetch(app!.metricsUrl)).text();
    const ours = text
      .split("\n")
      .filter((l) => l.includes("backup_last_success_timestamp_seconds"))
      .join("\n");
    const result = spawnSync(PROMTOOL, ["check", "metrics"], { input: `${ours}\n`, encoding: "utf8" });
    expect(result.status, result.stdout + result.stderr).toBe(0);
  });
});
