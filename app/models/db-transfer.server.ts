/**
 * A whole instance from one database to another (SQLite ⇄ PostgreSQL), through the bundle format
 * for the library and row by row for the accounts an operator cannot lose (decision 122,
 * docs/operations.md "From one pod on SQLite to replicas on PostgreSQL"):
 *
 * - copied: the library (every prompt, version, label and its history, snippet, folder, tag, test
 *   values, the trash) as a bundle; accounts (User with password hashes), API tokens (hashes: the
 *   same tokens keep working), pending invitation/reset links, and the audit log, ids kept;
 * - not copied: login sessions (everyone logs in again), unmerged conflict drafts, backup runs (they
 *   describe the old database's backups).
 *
 * Then it checks: the row count of every copied table, and the sha256 of the bundle exported from
 * each side, must be equal.
 */
import { createHash } from "node:crypto";
import type { Db } from "~/server/db.server";
import { parseBundle, serializeBundle } from "~/transfer/bundle";
import { exportBundle } from "./bundle-export.server";
import { importBundle } from "./bundle-import.server";

/** The tables a transfer fills, in the order their rows may be written. */
export const COUNTED_TABLES = [
  "user",
  "apiToken",
  "accountLink",
  "auditEntry",
  "folder",
  "tag",
  "prompt",
  "promptTag",
  "promptVersion",
  "section",
  "variable",
  "label",
  "labelEvent",
  "snippet",
  "snippetVersion",
  "versionSnippetPin",
  "promptSnippetUse",
] as const;
export type CountedTable = (typeof COUNTED_TABLES)[number];

/** Not copied, on purpose (see the header); a --force wipe clears them on the target too. */
export const NOT_COPIED = ["session", "conflictDraft", "backupRun"] as const;

type Counter = { count: () => Promise<number> };
export async function rowCounts(db: Db): Promise<Record<CountedTable, number>> {
  const out = {} as Record<CountedTable, number>;
  for (const t of COUNTED_TABLES) out[t] = await (db[t] as unknown as Counter).count();
  return out;
}

/** The library's bundle, whole (the trash too), and its sha256. */
export async function libraryDigest(db: Db): Promise<{ bytes: number; sha256: string; text: string }> {
  const bundle = await exportBundle(db, { slugs: [], includeTrash: true }, { scope: null, maxVersions: Infinity });
  const text = serializeBundle(bundle);
  return { bytes: Buffer.byteLength(text), sha256: createHash("sha256").update(text).digest("hex"), text };
}

export async function isEmpty(db: Db): Promise<boolean> {
  const counts = await rowCounts(db);
  return Object.values(counts).every((n) => n === 0);
}

/** Deletes everything a transfer writes (and the tables it does not copy), in one transaction. */
export async function wipe(db: Db): Promise<void> {
  await db.$transaction(
    async (tx) => {
      await tx.labelEvent.deleteMany();
      await tx.label.deleteMany();
      await tx.conflictDraft.deleteMany();
      await tx.prompt.deleteMany();
      await tx.snippet.deleteMany();
      await tx.tag.deleteMany();
      await tx.folder.updateMany({ data: { parentId: null } });
      await tx.folder.deleteMany();
      await tx.session.deleteMany();
      await tx.apiToken.deleteMany();
      await tx.accountLink.deleteMany();
      await tx.auditEntry.deleteMany();
      await tx.user.deleteMany();
      await tx.backupRun.deleteMany();
    },
    { timeout: 120_000 },
  );
}

/** Accounts, tokens, links and the audit log, ids kept (tokens and links refer to users by id). */
async function copyAccounts(from: Db, to: Db): Promise<void> {
  const [users, tokens, links, audit] = await Promise.all([
    from.user.findMany(),
    from.apiToken.findMany(),
    from.accountLink.findMany(),
    from.auditEntry.findMany(),
  ]);
  await to.$transaction(
    async (tx) => {
      if (users.length) await tx.user.createMany({ data: users });
      if (tokens.length) await tx.apiToken.createMany({ data: tokens });
      if (links.length) await tx.accountLink.createMany({ data: links });
      for (let i = 0; i < audit.length; i += 1000) await tx.auditEntry.createMany({ data: audit.slice(i, i + 1000) });
    },
    { timeout: 120_000 },
  );
}

export type TransferResult = {
  counts: Record<CountedTable, number>;
  bundleBytes: number;
  sha256: string;
  ms: number;
};

export class TransferError extends Error {}

/**
 * Copies `from` into `to` (both migrated). Refuses a target with any row unless `force`, which wipes
 * it first. Throws TransferError when the counts or the digest differ afterwards.
 */
export async function transfer(
  from: Db,
  to: Db,
  options: { force: boolean; log?: (message: string) => void },
): Promise<TransferResult> {
  const log = options.log ?? (() => undefined);
  const started = Date.now();
  if (!(await isEmpty(to))) {
    if (!options.force)
      throw new TransferError(
        "The target database is not empty; refusing to copy into it. Pass --force to delete everything in it first.",
      );
    log("target not empty: --force given, deleting its rows");
    await wipe(to);
  }
  const source = await libraryDigest(from);
  log(`source library: ${source.bytes} bytes of bundle, sha256 ${source.sha256}`);
  await copyAccounts(from, to);
  log("accounts, tokens, links and audit log copied");
  // Checked like any import: a source with a broken row stops here, before the library is written.
  const parsed = parseBundle(JSON.parse(source.text));
  if (!parsed.ok)
    throw new TransferError(
      `The source library does not make a valid bundle: ${parsed.issues
        .slice(0, 10)
        .map((i) => `${i.path.join(".")}: ${i.message}`)
        .join("; ")}`,
    );
  const bundle = parsed.bundle;
  await importBundle(to, bundle, { policy: "skip", dryRun: false, actorId: null, timeoutMs: 30 * 60_000 });
  log("library imported");

  const [a, b] = await Promise.all([rowCounts(from), rowCounts(to)]);
  const differ = COUNTED_TABLES.filter((t) => a[t] !== b[t]);
  if (differ.length)
    throw new TransferError(
      `Row counts differ after the copy: ${differ.map((t) => `${t} ${a[t]} → ${b[t]}`).join(", ")}`,
    );
  const target = await libraryDigest(to);
  if (target.sha256 !== source.sha256)
    throw new TransferError(`The library's digest differs after the copy: ${source.sha256} → ${target.sha256}`);
  return { counts: a, bundleBytes: source.bytes, sha256: source.sha256, ms: Date.now() - started };
}
