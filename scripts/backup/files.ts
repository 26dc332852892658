/**
 * Backup file naming, manifests and retention, shared by the backup and restore commands. Pure
 * Node (fs, path): no database driver here. (The freshness metric reads the BackupRun table.)
 *
 * A backup is two files in BACKUP_DIR:
 *   prompt-builder-20260102T020000Z.sqlite.gz   (SQLite: online-backup copy, integrity-checked, gzip)
 *   prompt-builder-20260102T020000Z.pgdump      (PostgreSQL: pg_dump --format=custom, compressed)
 * and its manifest `<file>.json`, written last (after the data file is renamed into place). A backup
 * without a manifest, or whose size differs from the manifest, is not a valid backup.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { pipeline } from "node:stream/promises";

export const BACKUP_PREFIX = "prompt-builder-";
export const BACKUP_NAME_RE = /^prompt-builder-(\d{8}T\d{6}(?:\d{3})?Z)\.(sqlite\.gz|pgdump)$/;
export const TEMP_SUFFIX = ".partial";

export type BackupKind = "sqlite" | "postgres";

export type BackupManifest = {
  format: 1;
  file: string;
  kind: BackupKind;
  startedAt: string;
  finishedAt: string;
  bytes: number;
  sha256: string;
  integrity: "ok";
  /** Rows per table in the copy (SQLite) — a quick sanity check when restoring. */
  tables?: Record<string, number>;
};

export type ValidBackup = { file: string; path: string; manifest: BackupManifest; finishedAtMs: number };

/** `20260102T020000123Z`: sortable, filename-safe, millisecond resolution (two runs never collide). */
export function backupStamp(date: Date): string {
  return date.toISOString().replace(/[-:]/g, "").replace(".", "");
}

export function stampToDate(stamp: string): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(\d{3})?Z$/.exec(stamp);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, ms] = m;
  const date = new Date(`${y}-${mo}-${d}T${h}:${mi}:${s}.${ms ?? "000"}Z`);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

export function backupFileName(kind: BackupKind, date: Date): string {
  return `${BACKUP_PREFIX}${backupStamp(date)}.${kind === "sqlite" ? "sqlite.gz" : "pgdump"}`;
}

export function manifestPath(backupPath: string): string {
  return `${backupPath}.json`;
}

function isManifest(value: unknown): value is BackupManifest {
  const m = value as Partial<BackupManifest> | null;
  return (
    !!m &&
    m.format === 1 &&
    typeof m.file === "string" &&
    (m.kind === "sqlite" || m.kind === "postgres") &&
    typeof m.finishedAt === "string" &&
    !Number.isNaN(Date.parse(m.finishedAt)) &&
    typeof m.bytes === "number" &&
    typeof m.sha256 === "string" &&
    m.integrity === "ok"
  );
}

/** The manifest of one backup file, or undefined when it is missing, unreadable or does not match. */
export function readValidBackup(dir: string, file: string): ValidBackup | undefined {
  if (!BACKUP_NAME_RE.test(file)) return undefined;
  const full = path.join(dir, file);
  try {
    const manifest: unknown = JSON.parse(fs.readFileSync(manifestPath(full), "utf8"));
    if (!isManifest(manifest) || manifest.file !== file) return undefined;
    const stat = fs.statSync(full);
    if (!stat.isFile() || stat.size !== manifest.bytes || stat.size === 0) return undefined;
    return { file, path: full, manifest, finishedAtMs: Date.parse(manifest.finishedAt) };
  } catch {
    return undefined;
  }
}

/** Valid backups in `dir`, newest first. A missing directory has none. */
export function listValidBackups(dir: string): ValidBackup[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .map((name) => readValidBackup(dir, name))
    .filter((b): b is ValidBackup => b !== undefined)
    .sort((a, b) => b.finishedAtMs - a.finishedAtMs);
}

export function newestValidBackup(dir: string): ValidBackup | undefined {
  return listValidBackups(dir)[0];
}

/**
 * Retention: deletes backups (and their manifests) whose name-stamp is older than `retentionDays`,
 * never the `keep` file, and never the newest valid backup (so an old-but-only backup survives a
 * long outage). Also removes leftover `.partial` files older than a day. Returns deleted names.
 */
export function applyRetention(dir: string, retentionDays: number, now: Date, keep?: string): string[] {
  const cutoff = now.getTime() - retentionDays * 24 * 3600 * 1000;
  const newest = newestValidBackup(dir)?.file;
  const deleted: string[] = [];
  for (const name of fs.readdirSync(dir)) {
    const full = path.join(dir, name);
    if (name.endsWith(TEMP_SUFFIX)) {
      const stat = fs.statSync(full, { throwIfNoEntry: false });
      if (stat && stat.mtimeMs < now.getTime() - 24 * 3600 * 1000) {
        fs.rmSync(full, { force: true });
        deleted.push(name);
      }
      continue;
    }
    const m = BACKUP_NAME_RE.exec(name);
    if (!m || name === keep || name === newest) continue;
    const taken = stampToDate(m[1]!);
    if (taken && taken.getTime() < cutoff) {
      fs.rmSync(full, { force: true });
      fs.rmSync(manifestPath(full), { force: true });
      deleted.push(name);
    }
  }
  return deleted;
}

export async function sha256File(file: string): Promise<string> {
  const hash = crypto.createHash("sha256");
  await pipeline(fs.createReadStream(file), hash);
  return hash.digest("hex");
}
