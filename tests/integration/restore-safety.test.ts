/**
 * Issue 11, fault 5: `restore … --force` over a live SQLite database.
 * - A writer killed by kill -9 leaves acknowledged rows only in the WAL: the "way back" copy
 *   (`app.db.pre-restore-*`) must hold every one of them (before, the -wal was deleted).
 * - While an app has the database open, the restore refuses and leaves everything as it was.
 */
import { execFile, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT, SQLITE_BASE } from "../support/paths";
import { startServer, waitFor } from "../support/server";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "pb-restore-"));
const backups = path.join(tmp, "backups");
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function cli(script: string, args: string[], env: Record<string, string>) {
  return promisify(execFile)(process.execPath, [path.join(ROOT, "build", "cli", script), ...args], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: "info", ...env },
  })
    .then(({ stdout, stderr }) => ({ code: 0, out: stdout + stderr }))
    .catch((error: { code?: number; stdout?: string; stderr?: string }) => ({
      code: error.code ?? 1,
      out: `${error.stdout ?? ""}${error.stderr ?? ""}`,
    }));
}

beforeAll(async () => {
  const source = path.join(tmp, "source.db");
  fs.copyFileSync(SQLITE_BASE, source);
  const made = await cli("backup.js", [], { DATABASE_URL: `file:${source}`, BACKUP_DIR: backups });
  expect(made.code, made.out).toBe(0);
});

// The writer acknowledges a row only after its COMMIT returned; checkpoints are off, so the rows
// stay in the WAL, as after a crash between automatic checkpoints.
const WRITER = `
const Database = require("better-sqlite3");
const db = new Database(process.argv[1]);
db.pragma("journal_mode = WAL");
db.pragma("synchronous = NORMAL");
db.pragma("wal_autocheckpoint = 0");
db.exec("CREATE TABLE IF NOT EXISTS acked (n INTEGER PRIMARY KEY, body TEXT)");
const insert = db.prepare("INSERT INTO acked (n, body) VALUES (?, ?)");
let n = 0;
setInterval(() => { for (let i = 0; i < 20; i++) { insert.run(++n, "row " + n); process.stdout.write(n + "\\n"); } }, 5);
`;

describe("restore over a live SQLite database", () => {
  it("keeps every acknowledged row of a writer killed by kill -9 in the way-back copy", async () => {
    const dir = path.join(tmp, "killed");
    fs.mkdirSync(dir);
    const target = path.join(dir, "app.db");
    fs.copyFileSync(SQLITE_BASE, target);
    const writer = spawn(process.execPath, ["-e", WRITER, target], { cwd: ROOT, stdio: ["ignore", "pipe", "inherit"] });
    let acked = 0;
    writer.stdout.on("data", (d: Buffer) => {
      const last = d.toString().trim().split("\n").at(-1);
      if (last) acked = Number(last);
    });
    await waitFor(async () => acked >= 2000, 30_000, "2,000 acknowledged rows");
    writer.kill("SIGKILL");
    await new Promise((resolve) => writer.once("exit", resolve));
    expect(fs.statSync(`${target}-wal`).size).toBeGreaterThan(0);

    const result = await cli("restore.js", ["latest", "--force", "--target", target], { BACKUP_DIR: backups });
    expect(result.code, result.out).toBe(0);
    const previous = fs.readdirSync(dir).find((f) => f.startsWith("app.db.pre-restore-"))!;
    expect(previous).toBeDefined();
    // The way-back copy is one complete file: no WAL beside it is needed (or present).
    expect(fs.readdirSync(dir).filter((f) => f.startsWith(previous) && f !== previous)).toEqual([]);
    const copy = new Database(path.join(dir, previous), { readonly: true });
    try {
      expect((copy.prepare("SELECT count(*) AS n FROM acked").get() as { n: number }).n).toBeGreaterThanOrEqual(acked);
      expect(copy.pragma("integrity_check", { simple: true })).toBe("ok");
    } finally {
      copy.close();
    }
    const restored = new Database(target, { readonly: true });
    try {
      expect(restored.prepare("SELECT name FROM sqlite_master WHERE name = 'acked'").get()).toBeUndefined();
    } finally {
      restored.close();
    }
  }, 90_000);

  it("refuses while an app has the database open, and changes nothing", async () => {
    const server = await startServer({ database: "sqlite", seed: true });
    try {
      await waitFor(async () => (await fetch(`${server.baseUrl}/api/health`)).status === 200, 20_000, "readiness");
      const file = server.databaseUrl.replace(/^file:/, "");
      const before = fs.readdirSync(path.dirname(file)).sort();
      const result = await cli("restore.js", ["latest", "--force", "--target", file], { BACKUP_DIR: backups });
      expect(result.code).toBe(1);
      expect(result.out).toContain("is open in another process");
      expect(fs.readdirSync(path.dirname(file)).sort()).toEqual(before);
      // The app keeps serving its own, untouched database.
      expect((await fetch(`${server.baseUrl}/api/health`)).status).toBe(200);
      expect((await fetch(`${server.baseUrl}/api/v1/prompts`)).status).toBe(200);
    } finally {
      await server.stop();
    }
  }, 90_000);
});
