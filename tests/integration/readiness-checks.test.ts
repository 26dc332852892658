/**
 * Issue 11, fault 4: readiness means what serving needs. Before, `/api/health` ran `SELECT 1` and
 * stayed 200 while writes were impossible, after the data directory was deleted (saves were then
 * acknowledged into deleted files) and on an empty, unmigrated database. Liveness stays
 * process-only throughout.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { DATABASE_KINDS } from "../support/databases";
import { POSTGRES_URL, postgresUrlFor, withAdmin, dropDatabase } from "../support/postgres";
import { SQLITE_BASE } from "../support/paths";
import { startServer, waitFor, type RunningServer } from "../support/server";

const running: RunningServer[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const s of running.splice(0)) await s.stop();
});
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

async function health(server: RunningServer) {
  const res = await fetch(`${server.baseUrl}/api/health`, { signal: AbortSignal.timeout(10_000) });
  return {
    status: res.status,
    body: (await res.json()) as { status: string; error?: string; checks: Record<string, string> },
  };
}
/** The first check also pays for the first connection and query compilation: wait for it. */
async function ready(server: RunningServer) {
  let last: unknown;
  await waitFor(
    async () => {
      const h = await health(server);
      last = h.body;
      return h.status === 200;
    },
    20_000,
    "readiness 200",
  ).catch((error: Error) => {
    throw new Error(`${error.message}; last body ${JSON.stringify(last)}`);
  });
}
async function liveness(server: RunningServer) {
  return (await fetch(`${server.baseUrl}/healthz`)).status;
}
async function start(options: Parameters<typeof startServer>[0]) {
  const server = await startServer(options);
  running.push(server);
  return server;
}
function tempDir() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pb-ready-"));
  dirs.push(dir);
  return dir;
}

describe("readiness on SQLite", () => {
  it("is 200 with every check ok on a migrated, writable database", async () => {
    const server = await start({ database: "sqlite", seed: false });
    await ready(server);
    const { body } = await health(server);
    expect(body.checks).toEqual({ database: "ok", dataFile: "ok", migrations: "ok", writable: "ok" });
  });

  it("goes 503 when the data directory is deleted under the running app", async () => {
    const dir = tempDir();
    const file = path.join(dir, "data", "app.db");
    fs.mkdirSync(path.dirname(file));
    fs.copyFileSync(SQLITE_BASE, file);
    const server = await start({ databaseUrl: `file:${file}`, seed: false });
    await ready(server);
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
    const { status, body } = await health(server);
    expect(status).toBe(503);
    expect(body.error).toMatch(/dataFile: .*gone/);
    expect(await liveness(server)).toBe(200);
  });

  it("goes 503 while another process holds the write lock, and back to 200 when it lets go", async () => {
    const server = await start({ database: "sqlite", seed: false });
    await ready(server);
    const holder = new Database(server.databaseUrl.replace(/^file:/, ""));
    try {
      holder.exec("BEGIN IMMEDIATE");
      const { status, body } = await health(server);
      expect(status).toBe(503);
      expect(body.error).toMatch(/writable: .*locked/i);
      expect(await liveness(server)).toBe(200);
      holder.exec("ROLLBACK");
    } finally {
      holder.close();
    }
    await waitFor(async () => (await health(server)).status === 200, 10_000, "readiness after the lock was released");
  });

  const chattrWorks = spawnSync("chattr", ["--help"]).error === undefined && process.getuid?.() === 0;
  it.skipIf(!chattrWorks)("goes 503 while the database cannot be written (read-only WAL file)", async () => {
    const server = await start({ database: "sqlite", seed: false });
    const wal = `${server.databaseUrl.replace(/^file:/, "")}-wal`;
    await ready(server);
    expect(spawnSync("chattr", ["+i", wal]).status).toBe(0);
    try {
      const { status, body } = await health(server);
      expect(status).toBe(503);
      expect(body.error).toMatch(/writable: .*readonly/i);
    } finally {
      spawnSync("chattr", ["-i", wal]);
    }
    await ready(server);
  });

  it("answers 503 with a reason on an empty, unmigrated database", async () => {
    const file = path.join(tempDir(), "empty.db");
    const server = await start({ databaseUrl: `file:${file}`, seed: false });
    const { status, body } = await health(server);
    expect(status).toBe(503);
    expect(body.error).toMatch(/migrations: the database is not migrated/);
    expect(await liveness(server)).toBe(200);
  });

  it("answers 503 when the newest migration of the build is missing", async () => {
    const dir = tempDir();
    const file = path.join(dir, "app.db");
    fs.copyFileSync(SQLITE_BASE, file);
    const db = new Database(file);
    const newest = (db.prepare("SELECT max(migration_name) AS m FROM _prisma_migrations").get() as { m: string }).m;
    db.prepare("DELETE FROM _prisma_migrations WHERE migration_name = ?").run(newest);
    db.close();
    const server = await start({ databaseUrl: `file:${file}`, seed: false });
    const { status, body } = await health(server);
    expect(status).toBe(503);
    expect(body.error).toContain(`not migrated to ${newest}`);
  });
});

const postgres = DATABASE_KINDS.find((d) => d.kind === "postgres")!;
describe.skipIf(postgres.skip)(`readiness on ${postgres.label}`, () => {
  const created: string[] = [];
  afterAll(async () => {
    await withAdmin(async (c) => {
      for (const name of created) await dropDatabase(c, name);
    });
  });
  async function emptyDatabase() {
    const name = `pb_ready_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 6)}`;
    await withAdmin((c) => c.query(`CREATE DATABASE "${name}"`));
    created.push(name);
    return { name, url: postgresUrlFor(name) };
  }

  it("answers 503 with a reason on an empty, unmigrated database", async () => {
    const { url } = await emptyDatabase();
    const server = await start({ databaseUrl: url, seed: false });
    const { status, body } = await health(server);
    expect(status).toBe(503);
    expect(body.error).toMatch(/migrations: the database is not migrated/);
  });

  it("answers 503 when the database only accepts reads", async () => {
    const server = await start({ database: "postgres", seed: false });
    await ready(server);
    const name = new URL(server.databaseUrl).pathname.slice(1);
    await withAdmin((c) => c.query(`ALTER DATABASE "${name}" SET default_transaction_read_only = on`));
    // The setting applies to new sessions: end the app's current ones so its pool reconnects.
    const admin = new pg.Client({ connectionString: POSTGRES_URL });
    await admin.connect();
    try {
      await admin.query(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()",
        [name],
      );
    } finally {
      await admin.end();
    }
    await waitFor(
      async () => {
        const { status, body } = await health(server);
        return status === 503 && /writable: .*read-only/.test(body.error ?? "");
      },
      15_000,
      "readiness to report the read-only database",
    );
  });
});
