/**
 * Readiness: what serving needs, each check bounded by one deadline so a hung database answers 503
 * fast. The database answers; its schema has the newest migration this build ships; (SQLite) the
 * path still names the file the app opened, and a write lock can be taken; (PostgreSQL) the server
 * accepts writes (not a standby, not read-only).
 */
import type { z } from "zod";
import type { readinessSchema } from "~/api/schemas";
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { dbInfo, dbKind, type Db } from "./db.server";

export type CheckName = "database" | "migrations" | "dataFile" | "writable";
export type Checks = Partial<Record<CheckName, "ok" | string>>;

export type Readiness = z.infer<typeof readinessSchema>;

class CheckFailed extends Error {}

const lastLine = (error: unknown) =>
  error instanceof Error ? (error.message.split("\n").filter(Boolean).slice(-1)[0] ?? error.message) : String(error);

function within<T>(promise: Promise<T>, deadline: number, what: string): Promise<T> {
  const ms = Math.max(0, deadline - Date.now());
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<never>(
      (_, reject) => (timer = setTimeout(() => reject(new CheckFailed(`${what} did not answer in time`)), ms)),
    ),
  ]);
}

const migrationCache = new Map<string, string | undefined>();

/** The newest migration folder shipped with this build (names sort by their timestamp prefix). */
export function newestBundledMigration(kind: "sqlite" | "postgres", root = process.cwd()): string | undefined {
  const dir = path.join(root, "prisma", ...(kind === "postgres" ? ["postgres"] : []), "migrations");
  if (!migrationCache.has(dir)) {
    let names: string[] = [];
    try {
      names = fs
        .readdirSync(dir, { withFileTypes: true })
        .filter((e) => e.isDirectory() && /^\d{14}_/.test(e.name))
        .map((e) => e.name);
    } catch {
      // No migrations folder next to the build (e.g. a test harness): the check is skipped.
    }
    migrationCache.set(dir, names.sort().at(-1));
  }
  return migrationCache.get(dir);
}

async function checkMigrations(db: Db, deadline: number): Promise<string> {
  const expected = newestBundledMigration(dbKind(db));
  if (!expected) return "ok";
  let applied: Array<{ migration_name: string }>;
  try {
    applied = await within(
      db.$queryRawUnsafe<Array<{ migration_name: string }>>(
        `SELECT migration_name FROM "_prisma_migrations" WHERE migration_name = ${dbKind(db) === "sqlite" ? "?" : "$1"} AND finished_at IS NOT NULL AND rolled_back_at IS NULL`,
        expected,
      ),
      deadline,
      "the migrations table",
    );
  } catch (error) {
    if (/_prisma_migrations|no such table|does not exist/i.test(lastLine(error)))
      throw new CheckFailed("the database is not migrated (no _prisma_migrations table)");
    throw error;
  }
  // A newer schema than this build's is accepted: during a rolling update the new version migrates
  // first, and the old replicas must keep serving (migrations are additive; docs/decisions/060).
  if (applied.length === 0)
    throw new CheckFailed(`the database is not migrated to ${expected}, which this build needs`);
  return "ok";
}

function checkSqliteFile(db: Db): string {
  const { target, openedFile } = dbInfo(db);
  if (target.kind !== "sqlite" || target.file === ":memory:" || !openedFile) return "ok";
  let now: fs.Stats;
  try {
    now = fs.statSync(target.file);
  } catch {
    throw new CheckFailed(
      `the data file ${target.file} is gone (deleted, or its volume unmounted); writes would be lost`,
    );
  }
  if (now.ino !== openedFile.ino || now.dev !== openedFile.dev) {
    throw new CheckFailed(
      `${target.file} is no longer the file the app opened (replaced, e.g. by a restore); restart the app`,
    );
  }
  return "ok";
}

/** SQLite: a second connection takes the write lock and gives it back (no data written). */
function probeSqliteWrite(file: string, timeoutMs: number): string {
  let probe: Database.Database | undefined;
  try {
    probe = new Database(file, { fileMustExist: true, timeout: Math.max(1, timeoutMs) });
    probe.exec("BEGIN IMMEDIATE");
    probe.exec("ROLLBACK");
    return "ok";
  } catch (error) {
    throw new CheckFailed(`writes are not possible: ${lastLine(error)}`);
  } finally {
    probe?.close();
  }
}

async function checkWritable(db: Db, deadline: number): Promise<string> {
  const { target } = dbInfo(db);
  if (target.kind === "sqlite") {
    // First another process's write lock, which names itself ("database is locked"); bounded by
    // half of what is left: better-sqlite3 is synchronous, so its busy wait blocks.
    const probed =
      target.file === ":memory:" ? "ok" : probeSqliteWrite(target.file, Math.min(500, (deadline - Date.now()) / 2));
    // The app's own connection serialises its transactions: a lock that is never released wedges
    // every save, so readiness needs a transaction to start and end in time.
    await within(
      db.$transaction(async (tx) => tx.$queryRawUnsafe("SELECT 1"), { maxWait: Math.max(1, deadline - Date.now()) }),
      deadline,
      "a transaction on the app's connection",
    );
    return probed;
  }
  const [row] = await within(
    db.$queryRawUnsafe<Array<{ recovery: boolean; read_only: string }>>(
      "SELECT pg_is_in_recovery() AS recovery, current_setting('transaction_read_only') AS read_only",
    ),
    deadline,
    "the read-only check",
  );
  if (row?.recovery) throw new CheckFailed("the PostgreSQL server is a standby (in recovery): it cannot accept writes");
  if (row?.read_only === "on")
    throw new CheckFailed("the PostgreSQL session is read-only (default_transaction_read_only)");
  return "ok";
}

export async function checkReadiness(db: Db, version: string, timeoutMs = 2000): Promise<Readiness> {
  const timestamp = new Date().toISOString();
  const deadline = Date.now() + timeoutMs;
  const checks: Checks = {};
  try {
    await within(db.$queryRawUnsafe("SELECT 1"), deadline, "the database");
    checks.database = "ok";
  } catch (error) {
    checks.database = lastLine(error);
    return { status: "unhealthy", database: "disconnected", error: checks.database, checks, version, timestamp };
  }
  const steps: Array<[CheckName, () => Promise<string> | string]> = [
    ["dataFile", () => checkSqliteFile(db)],
    ["migrations", () => checkMigrations(db, deadline)],
    ["writable", () => checkWritable(db, deadline)],
  ];
  for (const [name, run] of steps) {
    try {
      checks[name] = await run();
    } catch (error) {
      checks[name] = lastLine(error);
      return {
        status: "unhealthy",
        database: "connected",
        error: `${name}: ${checks[name]}`,
        checks,
        version,
        timestamp,
      };
    }
  }
  return { status: "healthy", database: "connected", checks, version, timestamp };
}
