/**
 * The files of an uploaded zip, read defensively (decision 129): the central directory is checked
 * in full — entry count, declared sizes, compression ratio, names, methods, encryption, overlapping
 * data — BEFORE a single entry is inflated; then each entry is inflated with Node's zlib capped at
 * the size its header declares (`maxOutputLength`), so a header that lies cannot make it inflate
 * more, and its CRC-32 is checked. Anything wrong is a problem with the entry's name as its path;
 * nothing is returned unless every entry is fine.
 *
 * Kept: `.prompt` files and the manifest `prompt-builder.json`. Ignored: directory entries,
 * `__MACOSX/…` and `.DS_Store` (what archivers add). Any other file is a problem (nothing in a zip
 * is dropped silently).
 */
import { crc32, inflateRawSync } from "node:zlib";
import type { Issue } from "~/prompt/problem";
import { ZIP_MANIFEST } from "~/library/prompt-zip";

export const ZIP_LIMITS = {
  /** Entries in the central directory (an export holds at most 2,000 prompts, every snippet and the manifest). */
  entries: 5000,
  /** Declared uncompressed bytes of one entry. */
  entryBytes: 2 * 1024 * 1024,
  /** Declared uncompressed bytes of all entries together. */
  totalBytes: 32 * 1024 * 1024,
  /** Uncompressed ÷ compressed for an entry past `ratioFloorBytes` (text deflates 3–15×; a bomb ~1,000×). */
  ratio: 100,
  ratioFloorBytes: 64 * 1024,
} as const;

export type ZipFile = { path: string; text: string };
export type ZipRead = { ok: true; files: ZipFile[] } | { ok: false; status: 400 | 422; error: string; issues: Issue[] };

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const MAX_ISSUES = 200;

const utf8 = new TextDecoder("utf-8", { fatal: true });

const unreadable = (message: string, path: Issue["path"] = []): ZipRead => ({
  ok: false,
  status: 400,
  error: "The file is not a zip this instance can read.",
  issues: [{ path, message }],
});

/** Whether bytes start like a zip: a local header ("PK\\3\\4") or an empty zip's end record ("PK\\5\\6"). */
export function looksLikeZip(bytes: Uint8Array): boolean {
  return (
    bytes[0] === 0x50 && bytes[1] === 0x4b && ((bytes[2] === 3 && bytes[3] === 4) || (bytes[2] === 5 && bytes[3] === 6))
  );
}

/** Why an entry name may not be used, or null; `ignored` for archiver litter. */
export function entryNameProblem(name: string): string | null {
  if (name === "") return "has an empty name";
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
  if (/[\u0000-\u001f\u007f]/.test(name)) return "has control characters in its name";
  if (name.includes("\\")) return "uses a backslash (zip paths use /)";
  if (name.startsWith("/")) return "is an absolute path";
  if (/^[A-Za-z]:/.test(name)) return "starts with a drive letter";
  const parts = name.replace(/\/$/, "").split("/");
  if (parts.some((p) => p === "..")) return 'has a ".." part (outside the tree)';
  if (parts.some((p) => p === "" || p === ".")) return 'has an empty or "." part';
  return null;
}

function ignored(name: string): boolean {
  return name.endsWith("/") || name.startsWith("__MACOSX/") || name === ".DS_Store" || name.endsWith("/.DS_Store");
}

type Entry = {
  name: string;
  flags: number;
  method: number;
  crc: number;
  compressed: number;
  size: number;
  offset: number;
};

/** The end-of-central-directory record's offset, or -1 (searched within the last 64 KiB + 22 bytes). */
function findEocd(buf: Buffer): number {
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 0xffff); i--)
    if (buf.readUInt32LE(i) === EOCD && i + 22 + buf.readUInt16LE(i + 20) === buf.length) return i;
  return -1;
}

/** Reads the zip's `.prompt` files and manifest as text, or every problem found (see the header). */
export function readZipEntries(
  buf: Buffer,
  limits: { readonly [K in keyof typeof ZIP_LIMITS]: number } = ZIP_LIMITS,
): ZipRead {
  if (buf.length < 22) return unreadable("is not a zip (too short)");
  const eocd = findEocd(buf);
  if (eocd < 0) return unreadable("is not a zip (no end of central directory)");
  const disk = buf.readUInt16LE(eocd + 4);
  const cdDisk = buf.readUInt16LE(eocd + 6);
  const onDisk = buf.readUInt16LE(eocd + 8);
  const count = buf.readUInt16LE(eocd + 10);
  const cdSize = buf.readUInt32LE(eocd + 12);
  const cdOffset = buf.readUInt32LE(eocd + 16);
  if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff)
    return unreadable("is a ZIP64 archive, which is not supported");
  if (disk !== 0 || cdDisk !== 0 || onDisk !== count) return unreadable("spans several disks");
  // The entry count first: nothing is walked past the limit.
  if (count > limits.entries)
    return {
      ok: false,
      status: 422,
      error: `The zip has ${count} entries; at most ${limits.entries} are read.`,
      issues: [{ path: [], message: `at most ${limits.entries} entries` }],
    };
  if (cdOffset + cdSize > eocd) return unreadable("has a central directory outside the file");

  const entries: Entry[] = [];
  let at = cdOffset;
  for (let i = 0; i < count; i++) {
    if (at + 46 > cdOffset + cdSize || buf.readUInt32LE(at) !== CENTRAL)
      return unreadable(`has a damaged central directory (entry ${i + 1})`);
    const nameLen = buf.readUInt16LE(at + 28);
    const extraLen = buf.readUInt16LE(at + 30);
    const commentLen = buf.readUInt16LE(at + 32);
    if (at + 46 + nameLen > cdOffset + cdSize) return unreadable(`has a damaged central directory (entry ${i + 1})`);
    let name: string;
    try {
      name = utf8.decode(buf.subarray(at + 46, at + 46 + nameLen));
    } catch {
      return unreadable(`entry ${i + 1} has a name that is not UTF-8`);
    }
    entries.push({
      name,
      flags: buf.readUInt16LE(at + 8),
      method: buf.readUInt16LE(at + 10),
      crc: buf.readUInt32LE(at + 16),
      compressed: buf.readUInt32LE(at + 20),
      size: buf.readUInt32LE(at + 24),
      offset: buf.readUInt32LE(at + 42),
    });
    at += 46 + nameLen + extraLen + commentLen;
  }

  // Every header checked before anything is inflated.
  const issues: Issue[] = [];
  const seen = new Map<string, string>();
  const kept: Entry[] = [];
  let total = 0;
  for (const e of entries) {
    const problem = entryNameProblem(e.name);
    if (problem) {
      issues.push({ path: [e.name], message: problem });
      continue;
    }
    const key = e.name.normalize("NFC").toLowerCase();
    const twin = seen.get(key);
    if (twin !== undefined) {
      issues.push({
        path: [e.name],
        message: twin === e.name ? "appears twice" : `differs from "${twin}" only in case`,
      });
      continue;
    }
    seen.set(key, e.name);
    if (ignored(e.name)) continue;
    if (!e.name.endsWith(".prompt") && e.name !== ZIP_MANIFEST) {
      issues.push({
        path: [e.name],
        message: `is neither a .prompt file nor ${ZIP_MANIFEST} (only those are imported)`,
      });
      continue;
    }
    if (e.flags & 0x41) {
      issues.push({ path: [e.name], message: "is encrypted" });
      continue;
    }
    if (e.method !== 0 && e.method !== 8) {
      issues.push({ path: [e.name], message: `uses compression method ${e.method} (only stored and deflate)` });
      continue;
    }
    if (e.size === 0xffffffff || e.compressed === 0xffffffff) {
      issues.push({ path: [e.name], message: "has ZIP64 sizes, which are not supported" });
      continue;
    }
    if (e.size > limits.entryBytes) {
      issues.push({
        path: [e.name],
        message: `would inflate to ${e.size} bytes; one entry may have at most ${limits.entryBytes}`,
      });
      continue;
    }
    if (e.size > limits.ratioFloorBytes && e.size > limits.ratio * Math.max(e.compressed, 1)) {
      issues.push({
        path: [e.name],
        message: `compresses ${Math.round(e.size / Math.max(e.compressed, 1))}:1; at most ${limits.ratio}:1 is read`,
      });
      continue;
    }
    if (e.method === 0 && e.compressed !== e.size) {
      issues.push({ path: [e.name], message: "is stored with two different sizes" });
      continue;
    }
    total += e.size;
    kept.push(e);
  }
  if (total > limits.totalBytes)
    issues.push({ path: [], message: `would inflate to ${total} bytes in all; at most ${limits.totalBytes}` });
  if (issues.length)
    return { ok: false, status: 422, error: "The zip cannot be imported.", issues: issues.slice(0, MAX_ISSUES) };

  // Where each entry's data lies: inside the file, before the central directory, and not shared.
  const spans: Array<{ e: Entry; start: number; end: number }> = [];
  for (const e of kept) {
    if (e.offset + 30 > cdOffset || buf.readUInt32LE(e.offset) !== LOCAL)
      return unreadable("has no local header where the directory says", [e.name]);
    const start = e.offset + 30 + buf.readUInt16LE(e.offset + 26) + buf.readUInt16LE(e.offset + 28);
    const end = start + e.compressed;
    if (end > cdOffset) return unreadable("has data past the end of the entries", [e.name]);
    spans.push({ e, start, end });
  }
  spans.sort((a, b) => a.start - b.start);
  for (let i = 1; i < spans.length; i++)
    if (spans[i]!.e.offset < spans[i - 1]!.end)
      return unreadable(`shares its data with "${spans[i - 1]!.e.name}"`, [spans[i]!.e.name]);

  const files: ZipFile[] = [];
  for (const { e, start, end } of spans) {
    const raw = buf.subarray(start, end);
    let data: Buffer;
    if (e.method === 0) data = raw;
    else {
      try {
        // Never more than the header declares (at least 1 byte: 0 would mean "no limit").
        data = inflateRawSync(raw, { maxOutputLength: Math.max(e.size, 1) });
      } catch (error) {
        const tooBig = (error as { code?: string }).code === "ERR_BUFFER_TOO_LARGE";
        return unreadable(tooBig ? "inflates to more than its header declares" : "has damaged compressed data", [
          e.name,
        ]);
      }
    }
    if (data.length !== e.size) return unreadable("inflates to another size than its header declares", [e.name]);
    if (crc32(data) >>> 0 !== e.crc) return unreadable("fails its CRC-32 check", [e.name]);
    let text: string;
    try {
      text = utf8.decode(data);
    } catch {
      return {
        ok: false,
        status: 422,
        error: "The zip cannot be imported.",
        issues: [{ path: [e.name], message: "is not UTF-8 text" }],
      };
    }
    if (text.includes("\u0000"))
      return {
        ok: false,
        status: 422,
        error: "The zip cannot be imported.",
        issues: [{ path: [e.name], message: "contains a NUL character" }],
      };
    files.push({ path: e.name, text });
  }
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { ok: true, files };
}
