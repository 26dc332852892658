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
  "auditEvent",
  "oidcIdentity",
  "labelApprover",
  "modelProvider",
  "renderDay",
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
  "evalSuite",
  "testCase",
  "labelGate",
] as const;
export type CountedTable = (typeof COUNTED_TABLES)[number];

/** Not copied, on purpose (see the header); a --force wipe clears them on the target too. */
export const NOT_COPIED = [
  "session",
  "conflictDraft",
  "backupRun",
  // Histories that stay with the old database (and its backups): playground runs, evaluation runs
  // and their jobs, change requests, idempotency keys (24 h), render counts are copied above.
  "playgroundRun",
  "evalRun",
  "evalJob",
  "labelChangeRequest",
  "idempotencyKey",
] as const;

/** How each table is counted: one entry per table, so a table added above must be counted here. */
const COUNTERS: Record<CountedTable, (db: Db) => Promise<number>> = {
  user: (db) => db.user.count(),
  apiToken: (db) => db.apiToken.count(),
  accountLink: (db) => db.accountLink.count(),
  auditEntry: (db) => db.auditEntry.count(),
  auditEvent: (db) => db.auditEvent.count(),
  oidcIdentity: (db) => db.oidcIdentity.count(),
  labelApprover: (db) => db.labelApprover.count(),
  modelProvider: (db) => db.modelProvider.count(),
  renderDay: (db) => db.renderDay.count(),
  folder: (db) => db.folder.count(),
  tag: (db) => db.tag.count(),
  prompt: (db) => db.prompt.count(),
  promptTag: (db) => db.promptTag.count(),
  promptVersion: (db) => db.promptVersion.count(),
  section: (db) => db.section.count(),
  variable: (db) => db.variable.count(),
  label: (db) => db.label.count(),
  labelEvent: (db) => db.labelEvent.count(),
  snippet: (db) => db.snippet.count(),
  snippetVersion: (db) => db.snippetVersion.count(),
  versionSnippetPin: (db) => db.versionSnippetPin.count(),
  promptSnippetUse: (db) => db.promptSnippetUse.count(),
  evalSuite: (db) => db.evalSuite.count(),
  testCase: (db) => db.testCase.count(),
  labelGate: (db) => db.labelGate.count(),
};

export async function rowCounts(db: Db): Promise<Record<CountedTable, number>> {
  const out = {} as Record<CountedTable, number>;
  for (const t of COUNTED_TABLES) out[t] = await COUNTERS[t](db);
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
      await tx.evalJob.deleteMany();
      await tx.evalRun.deleteMany();
      await tx.labelGate.deleteMany();
      await tx.testCase.deleteMany();
      await tx.evalSuite.deleteMany();
      await tx.playgroundRun.deleteMany();
      await tx.labelChangeRequest.deleteMany();
      await tx.idempotencyKey.deleteMany();
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
      await tx.auditEvent.deleteMany();
      await tx.oidcIdentity.deleteMany();
      await tx.labelApprover.deleteMany();
      await tx.modelProvider.deleteMany();
      await tx.renderDay.deleteMany();
      await tx.user.deleteMany();
      await tx.backupRun.deleteMany();
    },
    { timeout: 120_000 },
  );
}

/**
 * Accounts, tokens, links, sign-on identities, approvers, the audit log, providers (their keys stay
 * sealed to their row id, which is kept) and render counts: rows copied as they are, ids kept.
 */
async function copyAccounts(from: Db, to: Db): Promise<void> {
  const [users, tokens, links, audit, events, identities, approvers, providers, renders] = await Promise.all([
    from.user.findMany(),
    from.apiToken.findMany(),
    from.accountLink.findMany(),
    from.auditEntry.findMany(),
    from.auditEvent.findMany(),
    from.oidcIdentity.findMany(),
    from.labelApprover.findMany(),
    from.modelProvider.findMany(),
    from.renderDay.findMany(),
  ]);
  await to.$transaction(
    async (tx) => {
      if (users.length) await tx.user.createMany({ data: users });
      if (tokens.length) await tx.apiToken.createMany({ data: tokens });
      if (links.length) await tx.accountLink.createMany({ data: links });
      for (let i = 0; i < audit.length; i += 1000) await tx.auditEntry.createMany({ data: audit.slice(i, i + 1000) });
      for (let i = 0; i < events.length; i += 1000) await tx.auditEvent.createMany({ data: events.slice(i, i + 1000) });
      if (identities.length) await tx.oidcIdentity.createMany({ data: identities });
      if (approvers.length) await tx.labelApprover.createMany({ data: approvers });
      if (providers.length) await tx.modelProvider.createMany({ data: providers });
      if (renders.length) await tx.renderDay.createMany({ data: renders });
    },
    { timeout: 120_000 },
  );
}

/**
 * Test cases, suites and label gates belong to prompts, which the bundle recreates with new ids:
 * they follow their prompt by slug (and a gate its label by name, its suite by name).
 */
async function copyEvaluationSetup(from: Db, to: Db): Promise<void> {
  const [sourcePrompts, targetPrompts, suites, cases, gates] = await Promise.all([
    from.prompt.findMany({ select: { id: true, slug: true } }),
    to.prompt.findMany({ select: { id: true, slug: true } }),
    from.evalSuite.findMany(),
    from.testCase.findMany(),
    from.labelGate.findMany({ include: { label: { select: { name: true, promptId: true } }, suite: true } }),
  ]);
  const slugOf = new Map(sourcePrompts.map((p) => [p.id, p.slug]));
  const idOf = new Map(targetPrompts.map((p) => [p.slug, p.id]));
  const target = (promptId: string) => {
    const id = idOf.get(slugOf.get(promptId) ?? "");
    if (!id) throw new TransferError(`A prompt (${promptId}) was not recreated on the target.`);
    return id;
  };
  await to.$transaction(
    async (tx) => {
      const suiteIds = new Map<string, string>();
      for (const { id, promptId, ...rest } of suites) {
        const made = await tx.evalSuite.create({ data: { ...rest, promptId: target(promptId) } });
        suiteIds.set(id, made.id);
      }
      for (let i = 0; i < cases.length; i += 1000)
        await tx.testCase.createMany({
          data: cases
            .slice(i, i + 1000)
            .map(({ id: _id, promptId, ...rest }) => ({ ...rest, promptId: target(promptId) })),
        });
      for (const gate of gates) {
        const label = await tx.label.findUnique({
          where: { promptId_name: { promptId: target(gate.label.promptId), name: gate.label.name } },
          select: { id: true },
        });
        if (!label) throw new TransferError(`The label "${gate.label.name}" of a gate was not recreated.`);
        await tx.labelGate.create({
          data: { labelId: label.id, suiteId: suiteIds.get(gate.suiteId)!, createdAt: gate.createdAt },
        });
      }
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
  // The copy is not an import: the source's audit log, copied above, is the record.
  await importBundle(to, bundle, { policy: "skip", dryRun: false, actor: null, audit: false, timeoutMs: 30 * 60_000 });
  log("library imported");
  await copyEvaluationSetup(from, to);
  log("test cases, suites and label gates copied");

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
