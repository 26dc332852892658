/**
 * Scaled mode (PostgreSQL) operations with the built commands:
 * - several migrate init containers starting at once apply each migration exactly once, because
 *   `prisma migrate deploy` takes the PostgreSQL advisory lock 72707369 (verified here by holding
 *   that lock and watching migrate wait for it; Prisma documents it at
 *   https://pris.ly/d/migrate-advisory-locking);
 * - backup (pg_dump --format=custom) and restore (pg_restore) round-trip the data.
 * Needs TEST_DATABASE_URL_POSTGRES (as the other PostgreSQL suites) and pg_dump/pg_restore on PATH.
 */
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { ROOT } from "../k8s/manifests";
import { POSTGRES_SKIP_REASON, POSTGRES_URL, dropDatabase, postgresUrlFor, withAdmin } from "../support/postgres";

const PRISMA_LOCK_ID = 72707369;
const created: string[] = [];
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "pb-pg-ops-"));

async function emptyDatabase(prefix: string) {
  const name = `${prefix}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 6)}`;
  await withAdmin((c) => c.query(`CREATE DATABASE "${name}"`));
  created.push(name);
  return postgresUrlFor(name);
}

function runCli(script: string, args: string[], env: Record<string, string>) {
  return new Promise<{ code: number | null; out: string; ms: number }>((resolve) => {
    const started = Date.now();
    const child = spawn(process.execPath, [path.join("build", "cli", script), ...args], {
      cwd: ROOT,
      env: { ...process.env, LOG_LEVEL: "info", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (out += d.toString()));
    child.on("exit", (code) => resolve({ code, out, ms: Date.now() - started }));
  });
}

const migrationCount = fs
  .readdirSync(path.join(ROOT, "prisma", "postgres", "migrations"))
  .filter((f) => /^\d/.test(f)).length;

afterAll(async () => {
  if (POSTGRES_URL)
    await withAdmin(async (c) => {
      for (const name of created) await dropDatabase(c, name);
    });
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe.skipIf(!POSTGRES_URL)(
  `PostgreSQL operations${POSTGRES_URL ? "" : ` (skipped: ${POSTGRES_SKIP_REASON})`}`,
  () => {
    it("has pg_dump and pg_restore", () => {
      for (const tool of ["pg_dump", "pg_restore"]) {
        const result = spawnSync(tool, ["--version"], { encoding: "utf8" });
        expect(result.status, `${tool} is required (apt-get install postgresql-client)`).toBe(0);
      }
    });

    it("migrate deploy waits for Prisma's advisory lock", async () => {
      const url = await emptyDatabase("pb_lock");
      const holder = new pg.Client({ connectionString: url });
      await holder.connect();
      try {
        await holder.query("SELECT pg_advisory_lock($1)", [PRISMA_LOCK_ID]);
        const migrate = runCli("migrate.js", [], { DATABASE_URL: url });
        await new Promise((r) => setTimeout(r, 3000));
        const applied = await holder.query("SELECT to_regclass('_prisma_migrations') AS t");
        expect(applied.rows[0].t, "migrate ran while the lock was held").toBeNull();
        await holder.query("SELECT pg_advisory_unlock($1)", [PRISMA_LOCK_ID]);
        const result = await migrate;
        expect(result.code, result.out).toBe(0);
        expect(result.ms).toBeGreaterThanOrEqual(3000);
      } finally {
        await holder.end();
      }
    }, 60_000);

    it("three init containers starting at once apply each migration exactly once", async () => {
      const url = await emptyDatabase("pb_race");
      const results = await Promise.all([1, 2, 3].map(() => runCli("migrate.js", [], { DATABASE_URL: url })));
      for (const r of results) expect(r.code, r.out).toBe(0);
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        const rows = await client.query(
          "SELECT migration_name, count(*)::int AS n, bool_and(finished_at IS NOT NULL) AS done FROM _prisma_migrations GROUP BY migration_name",
        );
        expect(rows.rows).toHaveLength(migrationCount);
        for (const r of rows.rows) expect([r.migration_name, r.n, r.done]).toEqual([r.migration_name, 1, true]);
      } finally {
        await client.end();
      }
    }, 90_000);

    it("backs up with pg_dump --format=custom and restores into another database", async () => {
      const source = await emptyDatabase("pb_bk_src");
      const target = await emptyDatabase("pb_bk_dst");
      expect((await runCli("migrate.js", [], { DATABASE_URL: source })).code).toBe(0);
      const client = new pg.Client({ connectionString: source });
      await client.connect();
      await client.query("CREATE TABLE ops_rows (id serial PRIMARY KEY, body text NOT NULL)");
      await client.query("INSERT INTO ops_rows (body) SELECT 'row ' || g FROM generate_series(1, 1000) g");
      await client.end();

      const backupDir = path.join(tmp, "backups");
      const backup = await runCli("backup.js", [], { DATABASE_URL: source, BACKUP_DIR: backupDir });
      expect(backup.code, backup.out).toBe(0);
      const dumps = fs.readdirSync(backupDir).filter((f) => f.endsWith(".pgdump"));
      expect(dumps).toHaveLength(1);
      expect(fs.readFileSync(path.join(backupDir, dumps[0]!)).subarray(0, 5).toString()).toBe("PGDMP");
      expect(JSON.parse(fs.readFileSync(path.join(backupDir, `${dumps[0]}.json`), "utf8"))).toMatchObject({
        kind: "postgres",
        integrity: "ok",
      });

      const refused = await runCli("restore.js", [dumps[0]!], { DATABASE_URL: target, BACKUP_DIR: backupDir });
      expect(refused.code, "restore without --force").toBe(1);
      const restore = await runCli("restore.js", [dumps[0]!, "--force"], {
        DATABASE_URL: target,
        BACKUP_DIR: backupDir,
      });
      expect(restore.code, restore.out).toBe(0);
      const check = new pg.Client({ connectionString: target });
      await check.connect();
      try {
        expect((await check.query("SELECT count(*)::int AS n FROM ops_rows")).rows[0].n).toBe(1000);
        expect((await check.query("SELECT count(*)::int AS n FROM _prisma_migrations")).rows[0].n).toBe(migrationCount);
      } finally {
        await check.end();
      }
    }, 90_000);

    it("fails the backup (non-zero, no partial files) when the database is unreachable", async () => {
      const backupDir = path.join(tmp, "failing");
      const result = await runCli("backup.js", [], {
        DATABASE_URL: postgresUrlFor("pb_does_not_exist"),
        BACKUP_DIR: backupDir,
      });
      expect(result.code).toBe(1);
      expect(result.out).toContain("backup failed");
      expect(fs.readdirSync(backupDir)).toEqual([]);
    }, 30_000);
  },
);
