/**
 * The backup and restore commands (build/cli) on SQLite: failures exit non-zero and leave nothing
 * half-written; restore verifies before it replaces anything; retention runs from the command.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import zlib from "node:zlib";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ROOT } from "../k8s/manifests";
import { SQLITE_BASE } from "../support/paths";

let dir: string;
let dbFile: string;
let backups: string;

function cli(script: string, args: string[] = [], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [path.join(ROOT, "build", "cli", script), ...args], {
    cwd: dir,
    env: { ...process.env, DATABASE_URL: `file:${dbFile}`, BACKUP_DIR: backups, LOG_LEVEL: "info", ...env },
    encoding: "utf8",
    timeout: 60_000,
  });
  return { code: result.status, out: result.stdout + result.stderr };
}

/** A migrated database (the backup records its run in BackupRun) plus a table `t` of `rows` rows. */
function makeDb(file: string, rows: number) {
  fs.copyFileSync(SQLITE_BASE, file);
  const db = new Database(file);
  db.pragma("journal_mode = WAL");
  db.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)");
  const insert = db.prepare("INSERT INTO t (v) VALUES (?)");
  db.transaction(() => {
    for (let i = 0; i < rows; i++) insert.run(`value ${i}`);
  })();
  return db;
}
const backupFiles = () => fs.readdirSync(backups).filter((f) => f.endsWith(".sqlite.gz"));

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "pb-backup-cli-"));
  dbFile = path.join(dir, "data", "app.db");
  backups = path.join(dir, "backups");
  fs.mkdirSync(path.dirname(dbFile));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("backup command", () => {
  it("copies an open WAL database with uncheckpointed writes, verified and compressed", () => {
    const db = makeDb(dbFile, 500); // stays open: its rows are still in the -wal file
    try {
      const r = cli("backup.js");
      expect(r.code, r.out).toBe(0);
      const [file] = backupFiles();
      const copy = path.join(dir, "copy.db");
      fs.writeFileSync(copy, zlib.gunzipSync(fs.readFileSync(path.join(backups, file!))));
      const restored = new Database(copy, { readonly: true });
      expect(restored.pragma("integrity_check", { simple: true })).toBe("ok");
      expect(restored.prepare("SELECT count(*) AS n FROM t").get()).toEqual({ n: 500 });
      restored.close();
      expect(JSON.parse(fs.readFileSync(path.join(backups, `${file}.json`), "utf8")).tables).toMatchObject({
        t: 500,
        BackupRun: 0,
      });
      // The run is recorded after the snapshot, in the live database.
      expect(db.prepare("SELECT ok, location FROM BackupRun").all()).toEqual([{ ok: 1, location: file }]);
    } finally {
      db.close();
    }
  });

  it("fails with a non-zero exit and no files when the database is missing", () => {
    const r = cli("backup.js");
    expect(r.code).toBe(1);
    expect(r.out).toContain("does not exist");
    expect(fs.readdirSync(backups)).toEqual([]);
  });

  it("fails when the database is not a database", () => {
    fs.writeFileSync(dbFile, Buffer.alloc(8192, 7));
    const r = cli("backup.js");
    expect(r.code).toBe(1);
    expect(r.out).toContain("backup failed");
    expect(fs.readdirSync(backups)).toEqual([]);
  });

  it("fails when the backup directory cannot be written", () => {
    makeDb(dbFile, 1).close();
    fs.writeFileSync(backups, "a file where the directory should be");
    expect(cli("backup.js").code).toBe(1);
  });

  it("rejects a bad BACKUP_RETENTION_DAYS, naming it", () => {
    makeDb(dbFile, 1).close();
    const r = cli("backup.js", [], { BACKUP_RETENTION_DAYS: "forever" });
    expect(r.code).toBe(1);
    expect(r.out).toContain("BACKUP_RETENTION_DAYS");
  });

  it("applies retention: backups older than BACKUP_RETENTION_DAYS go, the new one stays", () => {
    makeDb(dbFile, 1).close();
    fs.mkdirSync(backups);
    const old = "prompt-builder-20200101T020000000Z.sqlite.gz";
    fs.writeFileSync(path.join(backups, old), "x");
    fs.writeFileSync(
      path.join(backups, `${old}.json`),
      JSON.stringify({
        format: 1,
        file: old,
        kind: "sqlite",
        startedAt: "2020-01-01T02:00:00Z",
        finishedAt: "2020-01-01T02:00:01Z",
        bytes: 1,
        sha256: "0".repeat(64),
        integrity: "ok",
      }),
    );
    const r = cli("backup.js", [], { BACKUP_RETENTION_DAYS: "7" });
    expect(r.code, r.out).toBe(0);
    expect(backupFiles()).toHaveLength(1);
    expect(backupFiles()[0]).not.toBe(old);
    expect(fs.existsSync(path.join(backups, `${old}.json`))).toBe(false);
  });
});

describe("restore command", () => {
  beforeEach(() => {
    makeDb(dbFile, 100).close();
    expect(cli("backup.js").code).toBe(0);
  });

  it("refuses to replace an existing database without --force, then replaces it keeping the old file", () => {
    const db = new Database(dbFile);
    db.exec("INSERT INTO t (v) VALUES ('after the backup')");
    db.close();
    const refused = cli("restore.js", ["latest"]);
    expect(refused.code).toBe(1);
    expect(refused.out).toContain("--force");
    fs.writeFileSync(`${dbFile}-wal`, "stale wal that must not be replayed");
    const r = cli("restore.js", ["latest", "--force"]);
    expect(r.code, r.out).toBe(0);
    expect(fs.existsSync(`${dbFile}-wal`)).toBe(false);
    const restored = new Database(dbFile, { readonly: true });
    expect(restored.prepare("SELECT count(*) AS n FROM t").get()).toEqual({ n: 100 });
    restored.close();
    expect(fs.readdirSync(path.dirname(dbFile)).some((f) => f.startsWith("app.db.pre-restore-"))).toBe(true);
  });

  it("verifies the checksum before touching the target", () => {
    const [file] = backupFiles();
    const full = path.join(backups, file!);
    const bytes = fs.readFileSync(full);
    bytes[bytes.length - 10] = bytes[bytes.length - 10]! ^ 0xff;
    fs.writeFileSync(full, bytes);
    const target = path.join(dir, "fresh", "app.db");
    const r = cli("restore.js", [file!, "--target", target]);
    expect(r.code).toBe(1);
    expect(r.out).toContain("sha256");
    expect(fs.existsSync(target)).toBe(false);
  });

  it("rejects a damaged backup without a manifest (gzip/integrity checks) and leaves no partial file", () => {
    const damaged = path.join(dir, "damaged.sqlite.gz");
    fs.writeFileSync(damaged, zlib.gzipSync(Buffer.alloc(4096, 1)));
    const target = path.join(dir, "fresh", "app.db");
    const r = cli("restore.js", [damaged, "--target", target]);
    expect(r.code).toBe(1);
    expect(fs.existsSync(target)).toBe(false);
    expect(fs.readdirSync(path.dirname(target))).toEqual([]);
  });

  it("prints usage for bad arguments", () => {
    expect(cli("restore.js").code).toBe(2);
    expect(cli("restore.js", ["a", "b"]).code).toBe(2);
    expect(cli("restore.js", ["latest", "--bogus"]).code).toBe(2);
  });
});
