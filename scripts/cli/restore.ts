/**
 * `node build/cli/restore.js <backup> [--target <path|url>] [--force]`
 *
 * <backup> is a path, a file name inside BACKUP_DIR, or `latest` (the newest valid backup there).
 * When the backup has a manifest its size and sha256 must match.
 *
 * SQLite (`*.sqlite.gz`): decompress beside the target, `PRAGMA integrity_check`, then swap it in
 * with a rename. An existing target needs --force and is kept as `<target>.pre-restore-<stamp>`:
 * first its WAL is checkpointed into it (rows a killed writer acknowledged may live only there) and
 * it is switched out of WAL mode, which SQLite allows only when no other process has it open — so
 * a running app makes the restore refuse, and the kept copy is one complete file.
 * PostgreSQL (`*.pgdump`): `pg_restore --clean --if-exists --no-owner --single-transaction`;
 * always needs --force because it replaces the target's objects.
 *
 * The target defaults to DATABASE_URL. Exits non-zero on any failure, leaving the target untouched.
 */
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { pipeline } from "node:stream/promises";
import zlib from "node:zlib";
import Database from "better-sqlite3";
import { parseDatabaseUrl, DatabaseUrlError, type DatabaseTarget } from "../../app/server/db/database-url";
import { parseEnv } from "../../app/server/env.server";
import { logger } from "../../app/server/logger.server";
import { backupStamp, manifestPath, newestValidBackup, sha256File, type BackupManifest } from "../backup/files";
import { ToolError, libpqEnv, pgRestorePath, runTool } from "../backup/postgres";

const USAGE =
  "usage: restore <backup file | name in BACKUP_DIR | latest> [--target <sqlite path | file: URL | postgresql:// URL>] [--force]";

class RestoreError extends Error {}

function resolveBackup(arg: string, backupDir: string): string {
  if (arg === "latest") {
    const newest = newestValidBackup(backupDir);
    if (!newest) throw new RestoreError(`no valid backup in ${backupDir}`);
    return newest.path;
  }
  for (const candidate of [path.resolve(arg), path.join(backupDir, arg)]) {
    if (fs.existsSync(candidate) && fs.statSync(candidate).isFile()) return candidate;
  }
  throw new RestoreError(`backup ${arg} not found (looked in the working directory and ${backupDir})`);
}

function resolveTarget(raw: string): DatabaseTarget {
  if (raw.startsWith("file:") || raw.startsWith("postgres://") || raw.startsWith("postgresql://"))
    return parseDatabaseUrl(raw);
  return parseDatabaseUrl(`file:${path.resolve(raw)}`);
}

async function verifyManifest(backup: string) {
  const file = manifestPath(backup);
  if (!fs.existsSync(file)) {
    logger.warn("backup has no manifest; relying on the format's own checks", { backup });
    return undefined;
  }
  const manifest = JSON.parse(fs.readFileSync(file, "utf8")) as BackupManifest;
  const size = fs.statSync(backup).size;
  if (size !== manifest.bytes) throw new RestoreError(`size ${size} differs from the manifest's ${manifest.bytes}`);
  const sha = await sha256File(backup);
  if (sha !== manifest.sha256) throw new RestoreError("sha256 differs from the manifest: the file is damaged");
  return manifest;
}

/**
 * Folds the WAL of the database being replaced into its file and takes it out of WAL mode. SQLite
 * refuses to leave WAL mode while another connection is open: that is the check for a running app.
 */
function foldLiveDatabase(file: string) {
  let db: Database.Database;
  try {
    db = new Database(file, { fileMustExist: true, timeout: 2000 });
  } catch (error) {
    throw new RestoreError(`cannot open the database being replaced (${file}): ${(error as Error).message}`);
  }
  try {
    db.pragma("wal_checkpoint(TRUNCATE)");
    let mode: unknown;
    try {
      mode = db.pragma("journal_mode = DELETE", { simple: true });
    } catch (error) {
      const code = (error as { code?: string }).code ?? "";
      if (code.startsWith("SQLITE_BUSY") || code.startsWith("SQLITE_LOCKED")) {
        throw new RestoreError(`${file} is open in another process (is the app still running?): stop it, then restore`);
      }
      throw error;
    }
    if (mode !== "delete")
      throw new RestoreError(
        `${file} is open in another process (journal mode stayed ${String(mode)}): stop the app, then restore`,
      );
  } finally {
    db.close();
  }
}

async function restoreSqlite(backup: string, targetFile: string, force: boolean, expected?: Record<string, number>) {
  if (!backup.endsWith(".sqlite.gz")) throw new RestoreError("a SQLite target needs a .sqlite.gz backup");
  const exists = fs.existsSync(targetFile);
  if (exists && !force) {
    throw new RestoreError(`${targetFile} exists; stop the app and pass --force to replace it (the old file is kept)`);
  }
  fs.mkdirSync(path.dirname(targetFile), { recursive: true });
  const stamp = backupStamp(new Date());
  const partial = `${targetFile}.restore-${stamp}.partial`;
  try {
    await pipeline(fs.createReadStream(backup), zlib.createGunzip(), fs.createWriteStream(partial, { flags: "wx" }));
    const db = new Database(partial, { fileMustExist: true });
    let tables: Record<string, number> = {};
    try {
      const verdict = (db.pragma("integrity_check") as Array<{ integrity_check: string }>).map(
        (r) => r.integrity_check,
      );
      if (verdict.length !== 1 || verdict[0] !== "ok")
        throw new RestoreError(`integrity_check failed: ${verdict.slice(0, 5).join("; ")}`);
      db.pragma("journal_mode = DELETE");
      const names = db
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        .all() as Array<{ name: string }>;
      tables = Object.fromEntries(
        names.map(({ name }) => [
          name,
          (db.prepare(`SELECT count(*) AS n FROM "${name.replace(/"/g, '""')}"`).get() as { n: number }).n,
        ]),
      );
    } finally {
      db.close();
    }
    for (const [name, n] of Object.entries(expected ?? {})) {
      if (tables[name] !== n) throw new RestoreError(`table ${name} has ${tables[name]} rows, the manifest says ${n}`);
    }
    const fd = fs.openSync(partial, "r");
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    let previous: string | undefined;
    if (exists) {
      // Before anything is moved or deleted: the old -wal may hold committed rows.
      foldLiveDatabase(targetFile);
      previous = `${targetFile}.pre-restore-${stamp}`;
      fs.renameSync(targetFile, previous);
    }
    // Only leftovers now (the fold removed the WAL): none may be replayed onto the restored file.
    for (const suffix of ["-wal", "-shm", "-journal"]) fs.rmSync(targetFile + suffix, { force: true });
    fs.renameSync(partial, targetFile);
    return { tables, previous };
  } catch (error) {
    fs.rmSync(partial, { force: true });
    throw error;
  }
}

async function restorePostgres(backup: string, target: Extract<DatabaseTarget, { kind: "postgres" }>, force: boolean) {
  if (!backup.endsWith(".pgdump")) throw new RestoreError("a PostgreSQL target needs a .pgdump backup");
  if (!force) throw new RestoreError(`restoring replaces the objects in database ${target.database}; pass --force`);
  const env = libpqEnv(target);
  const result = await runTool(
    pgRestorePath(),
    [
      "--clean",
      "--if-exists",
      "--no-owner",
      "--no-privileges",
      "--single-transaction",
      "--exit-on-error",
      "--no-password",
      `--dbname=${target.database}`,
      backup,
    ],
    env,
  );
  if (result.code !== 0) throw new RestoreError(`pg_restore exited with ${result.code}: ${result.stderr.trim()}`);
}

export async function main(argv: string[]): Promise<number> {
  let args;
  try {
    args = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        target: { type: "string" },
        force: { type: "boolean", default: false },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (args.values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (args.positionals.length !== 1) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const parsed = parseEnv(process.env);
  if (!parsed.ok) {
    process.stderr.write(`${parsed.message}\n`);
    return 1;
  }
  try {
    const backupDir = path.resolve(parsed.env.BACKUP_DIR);
    const backup = resolveBackup(args.positionals[0]!, backupDir);
    let target: DatabaseTarget;
    try {
      target = resolveTarget(args.values.target ?? parsed.env.DATABASE_URL);
    } catch (error) {
      if (error instanceof DatabaseUrlError) throw new RestoreError(`--target: ${error.message}`);
      throw error;
    }
    const manifest = await verifyManifest(backup);
    logger.info("restore started", {
      backup,
      target: target.kind === "sqlite" ? target.file : `${target.host}/${target.database}`,
    });
    if (target.kind === "sqlite") {
      if (target.file === ":memory:") throw new RestoreError("cannot restore into an in-memory database");
      const { tables, previous } = await restoreSqlite(
        backup,
        target.file,
        args.values.force ?? false,
        manifest?.tables,
      );
      logger.info("restore finished", { backup, target: target.file, tables, ...(previous ? { previous } : {}) });
    } else {
      await restorePostgres(backup, target, args.values.force ?? false);
      logger.info("restore finished", { backup, target: `${target.host}/${target.database}` });
    }
    return 0;
  } catch (error) {
    const known = error instanceof RestoreError || error instanceof ToolError;
    logger.error("restore failed", known ? { reason: error.message } : { err: error });
    return 1;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    logger.error("restore failed", { err: error });
    process.exit(1);
  },
);
