/**
 * Backup runs in the database (issue 11, item 10), on SQLite and PostgreSQL: the backup command
 * (build/cli/backup.js) records every run, successful or not, in BackupRun, and
 * `backup_last_success_timestamp_seconds` follows the newest successful run — cached for a few
 * seconds, keeping its last value (and logging) when the database fails or does not answer.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createDb, type Db } from "~/server/db.server";
import { createLogger } from "~/server/logger.server";
import { createBackupAgeReader } from "~/server/observability/backup-metric.server";
import { lastSuccessfulBackupAt } from "~/models/backup-runs.server";
import { ROOT } from "../k8s/manifests";
import { DATABASE_KINDS, createTestDatabase, type TestDatabase } from "../support/databases";

function backupCommand(
  url: string,
  backups: string,
  env: Record<string, string> = {},
): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(ROOT, "build", "cli", "backup.js")], {
      env: { ...process.env, DATABASE_URL: url, BACKUP_DIR: backups, LOG_LEVEL: "info", ...env },
    });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d));
    child.stderr.on("data", (d: Buffer) => (out += d));
    child.on("close", (code) => resolve({ code, out }));
  });
}

const memoryLogger = () => {
  const lines: string[] = [];
  return { lines, logger: createLogger("debug", (l) => lines.push(l)) };
};

describe.each(DATABASE_KINDS)("$label", ({ kind, skip }) => {
  let t: TestDatabase;
  let dir: string;
  beforeEach(async () => {
    if (skip) return;
    t = await createTestDatabase(kind);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "pb-backup-runs-"));
  });
  afterEach(async () => {
    if (skip) return;
    await t.cleanup();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it.skipIf(skip)("records a successful run with its file and size, and the metric follows it", async () => {
    const read = createBackupAgeReader(() => lastSuccessfulBackupAt(t.db), { ttlMs: 0 });
    expect(await read()).toBe(0);

    const before = Date.now();
    const r = await backupCommand(t.url, dir);
    expect(r.code, r.out).toBe(0);
    const runs = await t.db.backupRun.findMany();
    expect(runs).toHaveLength(1);
    const [run] = runs;
    expect(run).toMatchObject({ ok: true, kind, error: null });
    expect(fs.existsSync(path.join(dir, run!.location))).toBe(true);
    expect(Number(run!.bytes)).toBe(fs.statSync(path.join(dir, run!.location)).size);
    expect(run!.finishedAt.getTime()).toBeGreaterThanOrEqual(before);
    expect(run!.finishedAt.getTime()).toBeGreaterThanOrEqual(run!.startedAt.getTime());

    expect(await read()).toBe(run!.finishedAt.getTime() / 1000);
  });

  it.skipIf(skip)("records a failed run with its reason and leaves the metric at the last success", async () => {
    const read = createBackupAgeReader(() => lastSuccessfulBackupAt(t.db), { ttlMs: 0 });
    expect((await backupCommand(t.url, dir)).code).toBe(0);
    const success = await read();
    expect(success).toBeGreaterThan(0);

    // The backups "directory" is a file: the run fails before writing anything.
    const blocked = path.join(dir, "not-a-directory");
    fs.writeFileSync(blocked, "x");
    const r = await backupCommand(t.url, blocked);
    expect(r.code).toBe(1);
    const failed = await t.db.backupRun.findFirst({ where: { ok: false } });
    expect(failed).toMatchObject({ ok: false, kind, bytes: null });
    expect(failed!.error).toContain("not writable");
    expect(await read()).toBe(success);
  });

  it.skipIf(skip)("reads the database at most once per ttl", async () => {
    let now = 1_000_000;
    const read = createBackupAgeReader(() => lastSuccessfulBackupAt(t.db), { ttlMs: 5_000, now: () => now });
    expect(await read()).toBe(0);
    expect((await backupCommand(t.url, dir)).code).toBe(0);
    now += 4_999;
    expect(await read()).toBe(0);
    now += 1;
    expect(await read()).toBeGreaterThan(0);
  });

  it.skipIf(skip)("keeps the last value and logs when the database fails", async () => {
    expect((await backupCommand(t.url, dir)).code).toBe(0);
    const { lines, logger } = memoryLogger();
    let db: Db = t.db;
    let now = 0;
    const read = createBackupAgeReader(() => lastSuccessfulBackupAt(db), { ttlMs: 1_000, now: () => now, logger });
    const value = await read();
    expect(value).toBeGreaterThan(0);

    // A real client whose database is gone: SQLite in a missing folder, PostgreSQL on a closed port.
    const broken = createDb(
      kind === "sqlite" ? `file:${path.join(dir, "missing", "app.db")}` : `postgresql://nobody@127.0.0.1:1/none`,
    ).db;
    db = broken;
    now += 1_000;
    expect(await read()).toBe(value);
    expect(lines.some((l) => JSON.parse(l).level === "warn" && l.includes("backup metric"))).toBe(true);
    await broken.$disconnect().catch(() => undefined);
  });
});

describe("a database that does not answer", () => {
  let server: net.Server;
  const sockets = new Set<net.Socket>();
  let port = 0;
  beforeAll(async () => {
    // Accepts connections and never says a word, like a black-holed database.
    server = net.createServer((s) => sockets.add(s));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as net.AddressInfo).port;
  });
  afterAll(async () => {
    for (const s of sockets) s.destroy();
    await new Promise((resolve) => server.close(resolve));
  });

  it("is given up on after the timeout, keeping the value", async () => {
    const { db } = createDb(`postgresql://nobody@127.0.0.1:${port}/none`);
    const { lines, logger } = memoryLogger();
    const read = createBackupAgeReader(() => lastSuccessfulBackupAt(db), { ttlMs: 0, timeoutMs: 300, logger });
    const started = Date.now();
    expect(await read()).toBe(0);
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(lines.join("\n")).toContain("no answer within 300 ms");
    void db.$disconnect().catch(() => undefined);
  });
});
