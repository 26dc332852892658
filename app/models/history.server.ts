/**
 * A prompt's history: its immutable versions (newest first, paged by version number), the label
 * moves, reading any version as a draft, and restoring an old version as a new one.
 */
import type { Db } from "~/server/db.server";
import { promptSummarySelect } from "./prompt-summary.server";
import { toVersionSummary, versionSummarySelect } from "./version-summary.server";
import { ConflictError, InvalidError, NotFoundError } from "~/prompt/errors";
import { versionFromText, VERSION_MESSAGE } from "~/prompt/numbers";
import type { Actor } from "./audit.server";
import { saveVersion, versionInclude, versionToDraft } from "./prompt-store.server";
import { partialsOf } from "./snippet-pins.server";

export const HISTORY_PAGE = 50;

/** The prompt at `slug` with its folder, tags and labels; live only unless `includeTrashed`. */
export async function findPrompt(db: Db, slug: string, options: { includeTrashed?: boolean } = {}) {
  return db.prompt.findFirst({
    where: { slug, ...(options.includeTrashed ? {} : { deletedAt: null }) },
    select: promptSummarySelect,
  });
}
export type FoundPrompt = NonNullable<Awaited<ReturnType<typeof findPrompt>>>;

export async function requirePrompt(
  db: Db,
  slug: string,
  options: { includeTrashed?: boolean } = {},
): Promise<FoundPrompt> {
  const prompt = await findPrompt(db, slug, options);
  if (!prompt) throw NotFoundError.prompt(slug);
  return prompt;
}

/** Version `number` of the prompt as a draft, with its metadata. */
export async function loadVersion(db: Db, promptId: string, number: number) {
  const version = await db.promptVersion.findUnique({
    where: { promptId_number: { promptId, number } },
    include: { ...versionInclude, author: { select: { name: true } } },
  });
  if (!version) return null;
  return {
    id: version.id,
    ...toVersionSummary(version),
    draft: versionToDraft(version),
    // The snippet versions this version pinned when it was saved: what every render of it uses.
    pins: version.snippetPins,
    partials: partialsOf(version.snippetPins),
  };
}
export type LoadedVersion = NonNullable<Awaited<ReturnType<typeof loadVersion>>>;

export async function requireVersion(
  db: Db,
  promptId: string,
  number: number,
  field = "version",
): Promise<LoadedVersion> {
  const v = Number.isInteger(number) && number > 0 ? await loadVersion(db, promptId, number) : null;
  if (!v) throw NotFoundError.version(number, field);
  return v;
}

export type LabelEventView = {
  id: string;
  label: string;
  from: number | null;
  to: number;
  actor: string | null;
  at: string;
  /** The evaluation run that let a gated label move (decision 116). */
  evalRunId: string | null;
};

/** Newest label moves of a prompt. */
export async function labelEvents(db: Db, promptId: string, take = 50): Promise<LabelEventView[]> {
  const events = await db.labelEvent.findMany({
    where: { label: { promptId } },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take,
    select: {
      id: true,
      fromNumber: true,
      toNumber: true,
      createdAt: true,
      evalRunId: true,
      actor: { select: { name: true } },
      label: { select: { name: true } },
    },
  });
  return events.map((e) => ({
    id: e.id,
    label: e.label.name,
    from: e.fromNumber,
    to: e.toNumber,
    actor: e.actor?.name ?? null,
    at: e.createdAt.toISOString(),
    evalRunId: e.evalRunId,
  }));
}

/**
 * One page of versions, newest first. `cursor` is the number the previous page ended at: the page
 * holds the versions below it. Labels are shown on the version they point at.
 */
export async function getHistory(db: Db, slug: string, options: { cursor?: string; limit?: number } = {}) {
  const before = options.cursor ? versionFromText(options.cursor) : null;
  if (options.cursor && before === null)
    throw InvalidError.field("before", `The page cursor ${VERSION_MESSAGE}.`, { malformed: true });
  const prompt = await requirePrompt(db, slug);
  const limit = Math.min(Math.max(options.limit ?? HISTORY_PAGE, 1), 200);
  const [versions, events] = await Promise.all([
    db.promptVersion.findMany({
      where: { promptId: prompt.id, ...(before ? { number: { lt: before } } : {}) },
      orderBy: { number: "desc" },
      take: limit + 1,
      select: versionSummarySelect,
    }),
    labelEvents(db, prompt.id),
  ]);
  const page = versions.slice(0, limit);
  const labelsAt = new Map<number, string[]>();
  for (const l of prompt.labels) labelsAt.set(l.version.number, [...(labelsAt.get(l.version.number) ?? []), l.name]);
  const movesTo = new Map<number, LabelEventView[]>();
  for (const e of events) movesTo.set(e.to, [...(movesTo.get(e.to) ?? []), e]);
  return {
    prompt,
    versions: page.map((v) => ({
      ...toVersionSummary(v),
      labels: labelsAt.get(v.number) ?? [],
      labelMoves: movesTo.get(v.number) ?? [],
    })),
    nextCursor: versions.length > limit ? String(page[page.length - 1]!.number) : null,
    events,
  };
}

/**
 * Restores version `number` by saving its content as a new version on top of `baseVersion` (the
 * head the user saw). Nothing is rewritten; a save in between is a VersionConflictError.
 */
export async function restoreVersion(
  db: Db,
  args: { slug: string; number: number; baseVersion: number; authorId?: string | null; actor?: Actor | null },
) {
  const prompt = await requirePrompt(db, args.slug);
  const old = await requireVersion(db, prompt.id, args.number);
  if (args.number === prompt.headVersion && args.baseVersion === prompt.headVersion) {
    throw new ConflictError("version", `Version ${args.number} is already the newest version.`, "version");
  }
  return saveVersion(db, {
    promptId: prompt.id,
    baseVersion: args.baseVersion,
    draft: old.draft,
    message: `Restored version ${args.number}`,
    authorId: args.authorId ?? args.actor?.id ?? null,
    actor: args.actor,
    audit: { action: "version.restore", details: { restored: args.number } },
    // A restored version renders as the old one did: same snippet versions.
    pins: old.pins,
  });
}
