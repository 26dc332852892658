/**
 * `node build/cli/backup.js` — one backup of the database named by DATABASE_URL into BACKUP_DIR.
 *
 * SQLite: the online backup API (all pages in one step, so the copy is one consistent snapshot even
 * while the app writes; never a file copy), `PRAGMA integrity_check` on the copy, gzip, a
 * timestamped name, a manifest with size and sha256 written last.
 * PostgreSQL: `pg_dump --format=custom`, checked with `pg_restore --list`.
 * Every run, successful or not, is recorded in the database (BackupRun): the app's
 * `backup_last_success_timestamp_seconds` metric reads it there, so no app pod needs the backups volume.
 * Then retention (BACKUP_RETENTION_DAYS, default 30). Any failure (including a run that cannot be
 * recorded): partial files are removed and the process exits non-zero, so the CronJob's Job fails.
 */
import fs from "node:fs";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import zlib from "node:zlib";
import Database from "better-sqlite3";
import { z } from "zod";
import { parseDatabaseUrl } from "../../app/server/db/database-url";
import { recordBackupRun, type BackupRunRecord } from "../../app/models/backup-runs.server";
import { createDb } from "../../app/server/db.server";
import type { DatabaseTarget } from "../../app/server/db/database-url";
import { parseEnv } from "../../app/server/env.server";
import { logger } from "../../app/server/logger.server";
import {
  TEMP_SUFFIX,
  applyRetention,
  backupFileName,
  manifestPath,
  sha256File,
  type BackupKind,
  type BackupManifest,
} from "../backup/files";
import { ToolError, libpqEnv, pgDumpPath, pgRestorePath, runTool, type PostgresTarget } from "../backup/postgres";

const retentionSchema = z.coerce
  .number({ message: "expected a whole number of days" })
  .int({ message: "expected a whole number of days" })
  .min(1, { message: "must be at least 1 day" })
  .max(3650, { message: "must be at most 3650 days" });

class BackupError extends Error {}

function fsyncFile(file: string) {
  const fd = fs.openSync(file, "r");
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

function fsyncDir(dir: string) {
  try {
    const fd = fs.openSync(dir, "r");
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    // Some filesystems refuse fsync on a directory; the rename is still atomic.
  }
}

async function backupSqlite(file: string, tmpCopy: string): Promise<Record<string, number>> {
  if (!fs.existsSync(file)) throw new BackupError(`database file ${file} does not exist`);
  const source = new Database(file, { fileMustExist: true });
  try {
    source.pragma("busy_timeout = 10000");
    // Page count per step = everything: one step holds one read transaction, so the copy is a
    // consistent snapshot and concurrent writers never force a restart.
    await source.backup(tmpCopy, { progress: () => 0x7fffffff });
  } finally {
    source.close();
  }
  const copy = new Database(tmpCopy, { fileMustExist: true });
  try {
    const rows = copy.pragma("integrity_check") as Array<{ integrity_check: string }>;
    const verdict = rows.map((r) => r.integrity_check);
    if (verdict.length !== 1 || verdict[0] !== "ok") {
      throw new BackupError(`integrity_check on the copy failed: ${verdict.slice(0, 5).join("; ")}`);
    }
    // The copy is a standalone file: no -wal beside it when it is compressed or restored.
    copy.pragma("journal_mode = DELETE");
    const tables = copy
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
      .all() as Array<{ name: string }>;
    const counts: Record<string, number> = {};
    for (const { name } of tables) {
      const row = copy.prepare(`SELECT count(*) AS n FROM "${name.replace(/"/g, '""')}"`).get() as { n: number };
      counts[name] = row.n;
    }
    return counts;
  } finally {
    copy.close();
  }
}

async function gzipFile(from: string, to: string) {
  await pipeline(fs.createReadStream(from), zlib.createGzip({ level: 9 }), fs.createWriteStream(to, { flags: "wx" }));
  fsyncFile(to);
}

async function backupPostgres(target: PostgresTarget, tmpDump: string) {
  const env = libpqEnv(target);
  const args = ["--format=custom", "--compress=9", "--no-password", `--file=${tmpDump}`];
  if (target.schema) args.push(`--schema=${target.schema}`);
  const dump = await runTool(pgDumpPath(), args, env);
  if (dump.code !== 0) throw new BackupError(`pg_dump exited with ${dump.code}: ${dump.stderr.trim()}`);
  fsyncFile(tmpDump);
  // Reads the whole archive's table of contents: a truncated or corrupt dump fails here.
  const list = await runTool(pgRestorePath(), ["--list", tmpDump], env);
  if (list.code !== 0) throw new BackupError(`pg_restore --list rejected the dump: ${list.stderr.trim()}`);
}

/**
 * Writes the run to the database it backed up. A SQLite file that does not exist is not created
 * (opening it would make an empty database where the operator expects theirs).
 */
async function recordRun(url: string, target: DatabaseTarget, run: BackupRunRecord): Promise<boolean> {
  if (target.kind === "sqlite" && (target.file === ":memory:" || !fs.existsSync(target.file))) {
    logger.error("backup run not recorded: the database file does not exist", { file: run.location });
    return false;
  }
  const { db } = createDb(url);
  try {
    await recordBackupRun(db, run);
    return true;
  } catch (error) {
    logger.error("backup run not recorded in the database; backup_last_success_timestamp_seconds will not see it", {
      file: run.location,
      ok: run.ok,
      err: error,
    });
    return false;
  } finally {
    await db.$disconnect().catch(() => undefined);
  }
}

type RunResult = { ok: true; bytes: number } | { ok: false; error: string };

async function writeBackup(target: DatabaseTarget, dir: string, file: string, started: Date): Promise<RunResult> {
  const kind: BackupKind = target.kind;
  const finalPath = path.join(dir, file);
  const partials: string[] = [];
  try {
    fs.mkdirSync(dir, { recursive: true });
    fs.accessSync(dir, fs.constants.W_OK);
  } catch (error) {
    const reason = `backup directory ${dir} is not writable`;
    logger.error("backup failed", { reason, err: error });
    return { ok: false, error: reason };
  }
  logger.info("backup started", { kind, file, dir });
  try {
    let tables: Record<string, number> | undefined;
    if (target.kind === "sqlite") {
      if (target.file === ":memory:") throw new BackupError("cannot back up an in-memory database");
      const copy = path.join(dir, file.replace(/\.gz$/, "") + TEMP_SUFFIX);
      const gz = finalPath + TEMP_SUFFIX;
      partials.push(copy, gz);
      tables = await backupSqlite(target.file, copy);
      await gzipFile(copy, gz);
      fs.rmSync(copy, { force: true });
      fs.renameSync(gz, finalPath);
    } else {
      const dump = finalPath + TEMP_SUFFIX;
      partials.push(dump);
      await backupPostgres(target, dump);
      fs.renameSync(dump, finalPath);
    }
    partials.push(finalPath);
    const manifest: BackupManifest = {
      format: 1,
      file,
      kind,
      startedAt: started.toISOString(),
      finishedAt: new Date().toISOString(),
      bytes: fs.statSync(finalPath).size,
      sha256: await sha256File(finalPath),
      integrity: "ok",
      ...(tables ? { tables } : {}),
    };
    const manifestFile = manifestPath(finalPath);
    partials.push(manifestFile + TEMP_SUFFIX);
    fs.writeFileSync(manifestFile + TEMP_SUFFIX, `${JSON.stringify(manifest, null, 2)}\n`, { flag: "wx" });
    fsyncFile(manifestFile + TEMP_SUFFIX);
    fs.renameSync(manifestFile + TEMP_SUFFIX, manifestFile);
    fsyncDir(dir);
    logger.info("backup finished", {
      kind,
      file,
      bytes: manifest.bytes,
      sha256: manifest.sha256,
      seconds: (Date.parse(manifest.finishedAt) - started.getTime()) / 1000,
      ...(tables ? { tables } : {}),
    });
    return { ok: true, bytes: manifest.bytes };
  } catch (error) {
    for (const p of partials) fs.rmSync(p, { force: true });
    const known = error instanceof BackupError || error instanceof ToolError;
    logger.error("backup failed", { kind, file, ...(known ? { reason: error.message } : { err: error }) });
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}

export async function main(): Promise<number> {
  const parsed = parseEnv(process.env);
  if (!parsed.ok) {
    process.stderr.write(`${parsed.message}\n`);
    return 1;
  }
  const retention = retentionSchema.safeParse(process.env.BACKUP_RETENTION_DAYS || "30");
  if (!retention.success) {
    process.stderr.write(`Invalid configuration: BACKUP_RETENTION_DAYS: ${retention.error.issues[0]?.message}\n`);
    return 1;
  }
  const env = parsed.env;
  const target = parseDatabaseUrl(env.DATABASE_URL);
  const dir = path.resolve(env.BACKUP_DIR);
  const started = new Date();
  const file = backupFileName(target.kind, started);

  const result = await writeBackup(target, dir, file, started);
  const recorded = await recordRun(env.DATABASE_URL, target, {
    startedAt: started,
    finishedAt: new Date(),
    ok: result.ok,
    kind: target.kind,
    location: file,
    ...(result.ok ? { bytes: result.bytes } : { error: result.error.slice(0, 2000) }),
  });
  if (!result.ok) return 1;
  // The new backup is complete and valid; a retention failure still fails the Job (disk fills up
  // otherwise) but never touches the new file.
  try {
    const deleted = applyRetention(dir, retention.data, new Date(), file);
    logger.info("retention applied", { retentionDays: retention.data, deleted });
  } catch (error) {
    logger.error("retention failed; the new backup is kept", { file, err: error });
    return 1;
  }
  return recorded ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    logger.error("backup failed", { err: error });
    process.exit(1);
  },
);
