import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  applyRetention,
  backupFileName,
  listValidBackups,
  manifestPath,
  newestValidBackup,
  stampToDate,
  backupStamp,
} from "./files";

let dir: string;

function writeBackup(
  name: string,
  finishedAt: string,
  opts: { content?: string; bytes?: number; manifest?: boolean } = {},
) {
  const content = opts.content ?? "backup-bytes";
  fs.writeFileSync(path.join(dir, name), content);
  if (opts.manifest === false) return;
  const manifest = {
    format: 1,
    file: name,
    kind: name.endsWith(".pgdump") ? "postgres" : "sqlite",
    startedAt: finishedAt,
    finishedAt,
    bytes: opts.bytes ?? Buffer.byteLength(content),
    sha256: "0".repeat(64),
    integrity: "ok",
  };
  fs.writeFileSync(manifestPath(path.join(dir, name)), JSON.stringify(manifest));
}

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "backup-files-"));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("backup file names", () => {
  it("round-trips the timestamp and sorts by time", () => {
    const date = new Date("2026-01-02T03:04:05.678Z");
    expect(backupFileName("sqlite", date)).toBe("prompt-builder-20260102T030405678Z.sqlite.gz");
    expect(backupFileName("postgres", date)).toBe("prompt-builder-20260102T030405678Z.pgdump");
    expect(stampToDate(backupStamp(date))?.toISOString()).toBe(date.toISOString());
    expect(stampToDate("20260102T030405Z")?.toISOString()).toBe("2026-01-02T03:04:05.000Z");
    expect(stampToDate("nope")).toBeUndefined();
  });
});

describe("valid backups (the restore command's `latest`)", () => {
  it("finds none in a missing or empty directory", () => {
    expect(newestValidBackup(path.join(dir, "absent"))).toBeUndefined();
    expect(newestValidBackup(dir)).toBeUndefined();
  });

  it("takes the newest backup that has a matching manifest", () => {
    writeBackup("prompt-builder-20260101T020000000Z.sqlite.gz", "2026-01-01T02:00:03.000Z");
    writeBackup("prompt-builder-20260102T020000000Z.sqlite.gz", "2026-01-02T02:00:04.500Z");
    // newer but invalid: no manifest, wrong size, partial file, unrelated names
    writeBackup("prompt-builder-20260103T020000000Z.sqlite.gz", "2026-01-03T02:00:00.000Z", { manifest: false });
    writeBackup("prompt-builder-20260104T020000000Z.sqlite.gz", "2026-01-04T02:00:00.000Z", { bytes: 999 });
    fs.writeFileSync(path.join(dir, "prompt-builder-20260105T020000000Z.sqlite.gz.partial"), "x");
    fs.writeFileSync(path.join(dir, "notes.txt"), "x");
    expect(newestValidBackup(dir)?.finishedAtMs).toBe(Date.parse("2026-01-02T02:00:04.500Z"));
    expect(listValidBackups(dir).map((b) => b.file)).toEqual([
      "prompt-builder-20260102T020000000Z.sqlite.gz",
      "prompt-builder-20260101T020000000Z.sqlite.gz",
    ]);
  });

  it("rejects a manifest naming another file or with garbage", () => {
    const name = "prompt-builder-20260101T020000000Z.pgdump";
    fs.writeFileSync(path.join(dir, name), "abc");
    fs.writeFileSync(manifestPath(path.join(dir, name)), "{not json");
    expect(newestValidBackup(dir)).toBeUndefined();
    writeBackup(name, "2026-01-01T02:00:00.000Z", { content: "abc" });
    expect(newestValidBackup(dir)?.file).toBe(name);
  });
});

describe("retention", () => {
  it("deletes backups older than the window with their manifests, keeps the newest and the new one", () => {
    const now = new Date("2026-02-15T02:00:00Z");
    writeBackup("prompt-builder-20260101T020000000Z.sqlite.gz", "2026-01-01T02:00:01Z"); // 45 days
    writeBackup("prompt-builder-20260110T020000000Z.sqlite.gz", "2026-01-10T02:00:01Z"); // 36 days
    writeBackup("prompt-builder-20260201T020000000Z.sqlite.gz", "2026-02-01T02:00:01Z"); // 14 days
    const stale = path.join(dir, "prompt-builder-20260101T020000000Z.sqlite.partial");
    fs.writeFileSync(stale, "x");
    fs.utimesSync(stale, new Date("2026-01-01T00:00:00Z"), new Date("2026-01-01T00:00:00Z"));
    const fresh = path.join(dir, "prompt-builder-20260215T015959000Z.sqlite.partial");
    fs.writeFileSync(fresh, "x");
    fs.utimesSync(fresh, now, now);
    const deleted = applyRetention(dir, 30, now, "prompt-builder-20260201T020000000Z.sqlite.gz");
    expect(deleted.sort()).toEqual([
      "prompt-builder-20260101T020000000Z.sqlite.gz",
      "prompt-builder-20260101T020000000Z.sqlite.partial",
      "prompt-builder-20260110T020000000Z.sqlite.gz",
    ]);
    expect(fs.readdirSync(dir).sort()).toEqual([
      "prompt-builder-20260201T020000000Z.sqlite.gz",
      "prompt-builder-20260201T020000000Z.sqlite.gz.json",
      "prompt-builder-20260215T015959000Z.sqlite.partial",
    ]);
  });

  it("never deletes the only valid backup, however old", () => {
    writeBackup("prompt-builder-20250101T020000000Z.sqlite.gz", "2025-01-01T02:00:01Z");
    expect(applyRetention(dir, 30, new Date("2026-02-15T02:00:00Z"))).toEqual([]);
  });
});
