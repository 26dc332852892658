/**
 * Prompts and their immutable versions: create, save a new version (refusing to save over a newer
 * one), load for editing. Every write that spans rows runs in one transaction.
 */
import { z } from "zod";
import type { Db, Prisma } from "~/server/db.server";
import { transact } from "~/server/db/write-race.server";
import { dequal } from "dequal";
import { newSectionId, normalizeDraft } from "~/prompt/sections";
import { slugify } from "~/prompt/slug";
import { normalizeTags } from "~/prompt/tags";
import { partialNames } from "~/prompt/partials";
import { searchDocument } from "~/library/search-text";
import { exampleSchema, promptDraftSchema, type Example, type PromptDraft, type PromptMeta } from "~/prompt/draft";
import { checkTemplatesInPool } from "~/server/render-pool/render-pool.server";
import { ConflictError, InvalidError, NotFoundError, VersionConflictError } from "~/prompt/errors";
import { parseRecord, storedJson } from "./corrupt-record.server";
import { DEFAULT_TEST_SET, rawTestValuesSchema, type RawTestValues } from "~/prompt/test-values";
import { parseInput } from "~/prompt/zod-issues";
import { analyzeTemplate } from "~/prompt/template-ast";
import {
  currentSnippets,
  partialsOf,
  pinSelect,
  renamedSnippets,
  resolvePins,
  writePins,
  type SnippetPin,
} from "./snippet-pins.server";
import { recordAudit, type Actor, type AuditEventInput } from "./audit.server";

export type Tx = Prisma.TransactionClient;

async function uniqueSlug(tx: Tx, name: string): Promise<string> {
  const base = slugify(name);
  const taken = new Set(
    (await tx.prompt.findMany({ where: { slug: { startsWith: base } }, select: { slug: true } })).map((p) => p.slug),
  );
  if (!taken.has(base)) return base;
  for (let i = 2; ; i++) if (!taken.has(`${base}-${i}`)) return `${base}-${i}`;
}

/** Finds or creates the folder at `path` and its parents; "" means no folder. */
export async function ensureFolder(tx: Tx, path: string): Promise<string | null> {
  if (!path) return null;
  let parentId: string | null = null;
  let current = "";
  for (const part of path.split("/")) {
    current = current ? `${current}/${part}` : part;
    const existing: { id: string } | null = await tx.folder.findUnique({
      where: { path: current },
      select: { id: true },
    });
    parentId = existing ? existing.id : (await tx.folder.create({ data: { path: current, name: part, parentId } })).id;
  }
  return parentId;
}

export async function setPromptTags(tx: Tx, promptId: string, tags: string[]) {
  const names = normalizeTags(tags);
  await tx.promptTag.deleteMany({ where: { promptId } });
  for (const name of names) {
    const tag = await tx.tag.upsert({ where: { name }, create: { name }, update: {}, select: { id: true } });
    await tx.promptTag.create({ data: { promptId, tagId: tag.id } });
  }
}

async function assertNameFree(tx: Tx, name: string, folderId: string | null, exceptPromptId?: string) {
  const clash = await tx.prompt.findFirst({
    where: { name, folderId, deletedAt: null, ...(exceptPromptId ? { id: { not: exceptPromptId } } : {}) },
    select: { id: true },
  });
  if (clash) throw new ConflictError("prompt", `A prompt named "${name}" already exists in this folder.`, "name");
}

/**
 * Keeps what the library derives from the head version in step with it: the full-text search
 * document and the snippets it includes ("used by" on a snippet's page).
 */
export async function indexHead(
  tx: Tx,
  promptId: string,
  meta: { name: string; description: string },
  draft: PromptDraft,
  names = partialNames(draft),
) {
  await tx.prompt.update({
    where: { id: promptId },
    data: { searchText: searchDocument({ name: meta.name, description: meta.description, sections: draft.sections }) },
  });
  await tx.promptSnippetUse.deleteMany({ where: { promptId } });
  if (names.length)
    await tx.promptSnippetUse.createMany({ data: names.map((snippetName) => ({ promptId, snippetName })) });
}

/**
 * A draft that includes a snippet by a name it no longer has (renamed since) is refused, naming
 * the new name: saved versions keep rendering the old name's pinned text, but a new version
 * would have nothing to pin (decision 090).
 */
async function refuseRenamedIncludes(
  tx: Tx,
  draft: PromptDraft,
  includes: readonly string[],
  available: ReadonlyMap<string, unknown>,
) {
  const missing = includes.filter((n) => !available.has(n));
  if (!missing.length) return;
  const renamed = await renamedSnippets(tx, missing);
  if (!renamed.size) return;
  const issues: Array<{ path: Array<string | number>; message: string }> = [];
  draft.sections.forEach((s, index) => {
    for (const p of analyzeTemplate(s.template).partials) {
      const now = renamed.get(p.name);
      if (now)
        issues.push({
          path: ["sections", index, "template"],
          message: `Line ${p.line}: snippet "${p.name}" was renamed to "${now}" — write {{> ${now}}} (saved versions keep what they pinned)`,
        });
    }
  });
  const [first] = renamed;
  throw new InvalidError(
    issues[0]?.message ?? `snippet "${first![0]}" was renamed to "${first![1]}" — write {{> ${first![1]}}}`,
    issues.length ? issues : [{ path: ["sections"], message: `snippet "${first![0]}" was renamed to "${first![1]}"` }],
  );
}

/** Parses the templates off the event loop; a template over a limit refuses the save (422). */
export async function checkedIncludes(draft: PromptDraft): Promise<string[]> {
  const { includes, problems } = await checkTemplatesInPool(draft);
  if (problems.length) {
    const at = (p: (typeof problems)[number]) => (p.line ? `Line ${p.line}: ${p.message}` : p.message);
    throw new InvalidError(
      at(problems[0]!),
      problems.map((p) => ({ path: p.path, message: at(p) })),
    );
  }
  return includes;
}

/** The Section rows of one version, as every save writes them (the bundle import too). */
export function sectionRows(versionId: string, draft: PromptDraft) {
  const keys = new Set<string>();
  return draft.sections.map((s, position) => {
    // The section's identity across versions: the builder's id, unique within the version.
    let key = s.id && !keys.has(s.id) ? s.id : newSectionId();
    while (keys.has(key)) key = newSectionId();
    keys.add(key);
    return {
      versionId,
      position,
      key,
      kind: s.kind,
      title: s.title,
      template: s.template,
      enabled: s.enabled,
      data: JSON.stringify(s.kind === "examples" ? { examples: s.examples } : {}),
    };
  });
}

/** The Variable rows of one version, as every save writes them. */
export function variableRows(versionId: string, draft: PromptDraft) {
  return draft.variables.map((v, position) => ({
    versionId,
    position,
    name: v.name,
    type: v.type,
    required: v.required,
    defaultJson: v.default === undefined ? null : JSON.stringify(v.default),
    enumJson: v.enumValues.length ? JSON.stringify(v.enumValues) : null,
    shapeJson:
      v.itemType !== undefined || v.fields?.length ? JSON.stringify({ itemType: v.itemType, fields: v.fields }) : null,
    description: v.description,
  }));
}

/** Writes the rows of one version (sections, variables) under an existing PromptVersion. */
async function writeVersionRows(tx: Tx, versionId: string, draft: PromptDraft) {
  if (draft.sections.length) await tx.section.createMany({ data: sectionRows(versionId, draft) });
  if (draft.variables.length) await tx.variable.createMany({ data: variableRows(versionId, draft) });
}

async function createVersion(
  tx: Tx,
  args: {
    promptId: string;
    number: number;
    draft: PromptDraft;
    message: string;
    authorId?: string | null;
    includes: string[];
    /** Pins to keep (restoring a version, updating dependents); by default the newest snippets. */
    pins?: readonly SnippetPin[];
  },
) {
  const version = await tx.promptVersion.create({
    data: {
      promptId: args.promptId,
      number: args.number,
      message: args.message,
      authorId: args.authorId ?? null,
      modelSettings: JSON.stringify(args.draft.modelSettings),
    },
  });
  await writeVersionRows(tx, version.id, args.draft);
  // The snippet versions the draft resolves to now, pinned in the same transaction as the version.
  let pins = args.pins;
  if (!pins) {
    const available = await currentSnippets(tx);
    await refuseRenamedIncludes(tx, args.draft, args.includes, available);
    pins = resolvePins(args.includes, available);
  }
  await writePins(tx, version.id, pins);
  return version;
}

export async function createPrompt(
  db: Db,
  args: {
    meta: PromptMeta;
    draft: PromptDraft;
    message?: string;
    authorId?: string | null;
    slug?: string;
    /** The default set of saved test values (raw form values, app/prompt/test-values.ts). */
    testValues?: RawTestValues;
    /** Snippet versions to pin (a duplicate keeps its source's); by default the newest. */
    pins?: readonly SnippetPin[];
    /** Who creates it (audit log); `authorId` defaults to its id. */
    actor?: Actor | null;
    /** What the audit log calls it: a duplicate names its source. */
    audit?: { action: "prompt.create" | "prompt.duplicate"; details?: AuditEventInput["details"] };
  },
) {
  const authorId = args.authorId !== undefined ? args.authorId : (args.actor?.id ?? null);
  const draft = promptDraftSchema.parse(args.draft);
  const includes = await checkedIncludes(draft);
  return transact(db, async (tx) => {
    const folderId = await ensureFolder(tx, args.meta.folder);
    await assertNameFree(tx, args.meta.name, folderId);
    const slug = args.slug ?? (await uniqueSlug(tx, args.meta.name));
    const prompt = await tx.prompt.create({
      data: {
        name: args.meta.name,
        slug,
        description: args.meta.description,
        folderId,
        ownerId: authorId,
        headVersion: 1,
        testValues: JSON.stringify({
          [DEFAULT_TEST_SET]: parseInput(rawTestValuesSchema, args.testValues ?? {}, { path: ["testValues"] }),
        }),
      },
    });
    await setPromptTags(tx, prompt.id, args.meta.tags);
    const version = await createVersion(tx, {
      promptId: prompt.id,
      number: 1,
      draft,
      message: args.message ?? "",
      authorId,
      includes,
      pins: args.pins,
    });
    await indexHead(tx, prompt.id, args.meta, draft, includes);
    await recordAudit(tx, args.actor ?? null, {
      action: args.audit?.action ?? "prompt.create",
      target: { type: "prompt", id: prompt.id, name: prompt.name },
      details: { slug: prompt.slug, folder: args.meta.folder || undefined, ...args.audit?.details },
    });
    return { prompt, version };
  });
}

/**
 * A save that would write the version it started from again — same content, same snippet versions —
 * is refused: versions are a history of changes, and an identical one only hides the real ones.
 */
async function refuseUnchanged(
  tx: Tx,
  promptId: string,
  baseVersion: number,
  draft: PromptDraft,
  pins: readonly SnippetPin[],
) {
  const base = await tx.promptVersion.findUnique({
    where: { promptId_number: { promptId, number: baseVersion } },
    include: versionInclude,
  });
  if (!base) return;
  const key = (list: readonly SnippetPin[]) =>
    [...list].sort((a, b) => (a.name < b.name ? -1 : 1)).map((p) => [p.name, p.snippetVersionId, p.template]);
  const samePins = dequal(key(base.snippetPins), key(pins));
  // Through JSON: an absent default and `default: undefined` are the same content.
  const content = (d: PromptDraft) => JSON.parse(JSON.stringify(normalizeDraft(d))) as unknown;
  if (samePins && dequal(content(versionToDraft(base)), content(draft))) {
    throw new ConflictError(
      "version",
      `Nothing changed since version ${baseVersion}, so no new version was saved. Change something, then save.`,
      "draft",
    );
  }
}

type SaveArgs = {
  promptId: string;
  baseVersion: number;
  draft: PromptDraft;
  message?: string;
  authorId?: string | null;
  /** The snippet versions to pin; by default what the includes resolve to now (the newest). */
  pins?: readonly SnippetPin[];
  /** Resolving a save conflict records the decision even when it keeps the newer version as is. */
  allowUnchanged?: boolean;
  /** Who saves (audit log); `authorId` defaults to its id. */
  actor?: Actor | null;
  /** What the audit log calls it (a restore names the version it restores) — by default a save. */
  audit?: { action: "version.save" | "version.restore"; details?: AuditEventInput["details"] };
};

/**
 * Saves `draft` as the next version. `baseVersion` is the version the edit started from; when the
 * prompt has moved on since, nothing is written and VersionConflictError is thrown. The head is
 * advanced with a conditional update, so two concurrent saves from the same base cannot both win.
 */
export async function saveVersion(db: Db, args: SaveArgs) {
  const includes = await checkedIncludes(args.draft);
  return transact(db, (tx) => saveVersionIn(tx, args, includes));
}

/**
 * saveVersion inside a transaction the caller holds, for writes that go with the save. `includes`
 * comes from checkedIncludes, run before the transaction: templates are parsed off the event loop.
 */
export async function saveVersionIn(tx: Tx, args: SaveArgs, includes: string[]) {
  const draft = promptDraftSchema.parse(args.draft);
  const available = args.pins ? null : await currentSnippets(tx);
  if (available) await refuseRenamedIncludes(tx, draft, includes, available);
  const pins = args.pins ?? resolvePins(includes, available!);
  if (!args.allowUnchanged) await refuseUnchanged(tx, args.promptId, args.baseVersion, draft, pins);
  const next = args.baseVersion + 1;
  const advanced = await tx.prompt.updateMany({
    where: { id: args.promptId, headVersion: args.baseVersion, deletedAt: null },
    data: { headVersion: next },
  });
  if (advanced.count !== 1) {
    const prompt = await tx.prompt.findUnique({
      where: { id: args.promptId },
      select: { headVersion: true, deletedAt: true },
    });
    if (!prompt || prompt.deletedAt) throw NotFoundError.prompt(args.promptId, "promptId");
    throw new VersionConflictError("prompt", args.promptId, args.baseVersion, prompt.headVersion);
  }
  const version = await createVersion(tx, {
    promptId: args.promptId,
    number: next,
    draft,
    message: args.message ?? "",
    authorId: args.authorId !== undefined ? args.authorId : (args.actor?.id ?? null),
    includes,
    pins,
  });
  const meta = await tx.prompt.findUniqueOrThrow({
    where: { id: args.promptId },
    select: { name: true, description: true },
  });
  await indexHead(tx, args.promptId, meta, draft, includes);
  await recordAudit(tx, args.actor ?? null, {
    action: args.audit?.action ?? "version.save",
    target: { type: "prompt", id: args.promptId, name: meta.name },
    details: { version: next, ...args.audit?.details },
  });
  return version;
}

type VersionRows = {
  id: string;
  modelSettings: string;
  sections: Array<{
    kind: string;
    title: string;
    template: string;
    enabled: boolean;
    data: string;
    position: number;
    id: string;
    key?: string;
  }>;
  variables: Array<{
    id: string;
    name: string;
    type: string;
    required: boolean;
    defaultJson: string | null;
    enumJson: string | null;
    shapeJson?: string | null;
    description: string;
    position: number;
  }>;
};

/** A section's `data` column: the few-shot pairs of an "examples" section, `{}` for the others. */
const sectionDataSchema = z.object({ examples: z.array(exampleSchema).default([]) });

/** The examples stored with a section row. */
export function sectionExamples(section: { id: string; data: string }): Example[] {
  const where = { table: "Section", id: section.id };
  return parseRecord(sectionDataSchema, storedJson(section.data, { ...where, column: "data" }), where).examples;
}

/** Rows of a stored version → the draft shape the builder, API and renderer use, checked by its schema. */
export function versionToDraft(version: VersionRows): PromptDraft {
  const sections = [...version.sections]
    .sort((a, b) => a.position - b.position)
    .map((s) => ({
      id: s.key || s.id,
      kind: s.kind,
      title: s.title,
      template: s.template,
      enabled: s.enabled,
      examples: sectionExamples(s),
    }));
  const variables = [...version.variables]
    .sort((a, b) => a.position - b.position)
    .map((v) => {
      const where = { table: "Variable", id: v.id };
      return {
        name: v.name,
        type: v.type,
        required: v.required,
        default: v.defaultJson === null ? undefined : storedJson(v.defaultJson, { ...where, column: "defaultJson" }),
        enumValues: v.enumJson === null ? [] : storedJson(v.enumJson, { ...where, column: "enumJson" }),
        ...(v.shapeJson ? (storedJson(v.shapeJson, { ...where, column: "shapeJson" }) as object) : {}),
        description: v.description,
      };
    });
  const modelSettings = storedJson(version.modelSettings, {
    table: "PromptVersion",
    id: version.id,
    column: "modelSettings",
  });
  return parseRecord(
    promptDraftSchema,
    { sections, variables, modelSettings },
    { table: "PromptVersion", id: version.id },
  );
}

export const versionInclude = {
  sections: { orderBy: { position: "asc" } },
  variables: { orderBy: { position: "asc" } },
  snippetPins: { select: pinSelect, orderBy: { name: "asc" } },
} as const;

/** The live prompt with its head version as a draft, or null. */
export async function getPromptForEdit(db: Db, slug: string) {
  const prompt = await db.prompt.findFirst({
    where: { slug, deletedAt: null },
    include: { folder: true, tags: { include: { tag: true } } },
  });
  if (!prompt) return null;
  const version = await db.promptVersion.findUnique({
    where: { promptId_number: { promptId: prompt.id, number: prompt.headVersion } },
    include: versionInclude,
  });
  if (!version) return null;
  return { prompt, version, draft: versionToDraft(version) };
}

/** Live snippets' newest templates by name, for `{{> name}}` partials of a draft (never a saved version). */
export async function getSnippetTemplates(db: Db): Promise<Record<string, string>> {
  return partialsOf([...(await currentSnippets(db)).values()]);
}
