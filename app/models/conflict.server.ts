/**
 * Save conflicts. A save refused because the prompt moved on keeps the user's draft as a
 * ConflictDraft; the conflict view shows both changes against the version the edit started from
 * and lets the user merge (deciding each conflict), overwrite knowingly, or discard their draft.
 */
import type { Db } from "~/server/db.server";
import { diffDrafts } from "~/prompt/diff";
import { promptDraftSchema, type PromptDraft } from "~/prompt/draft";
import { parseRecord, storedJson } from "./corrupt-record.server";
import { requirePrompt, requireVersion } from "./history.server";
import { toVersionSummary, versionSummarySelect } from "./version-summary.server";
import { applyMerge, planMerge, type Choice } from "~/prompt/merge";
import { checkedIncludes, saveVersion, saveVersionIn } from "./prompt-store.server";
import { NotFoundError, VersionConflictError } from "~/prompt/errors";
import type { Actor } from "./audit.server";

/** Keeps a refused draft; returns the id for /prompts/:slug/conflict/:id. */
export async function stashConflict(
  db: Db,
  args: {
    promptId: string;
    baseVersion: number;
    headVersion: number;
    draft: PromptDraft;
    message?: string;
    authorId?: string | null;
  },
): Promise<string> {
  const row = await db.conflictDraft.create({
    data: {
      promptId: args.promptId,
      baseVersion: args.baseVersion,
      headVersion: args.headVersion,
      draft: JSON.stringify(promptDraftSchema.parse(args.draft)),
      message: args.message ?? "",
      authorId: args.authorId ?? null,
    },
  });
  return row.id;
}

/**
 * Saves the draft on top of `baseVersion`, or — when someone saved in between — keeps it and
 * returns where the conflict view is. What a builder's save action can call instead of saveVersion.
 */
export async function saveOrStash(
  db: Db,
  args: {
    slug: string;
    promptId: string;
    baseVersion: number;
    draft: PromptDraft;
    message?: string;
    authorId?: string | null;
    actor?: Actor | null;
  },
): Promise<{ saved: number } | { conflictUrl: string; headVersion: number }> {
  try {
    const v = await saveVersion(db, args);
    return { saved: v.number };
  } catch (error) {
    if (!(error instanceof VersionConflictError)) throw error;
    const id = await stashConflict(db, {
      ...args,
      authorId: args.authorId ?? args.actor?.id ?? null,
      headVersion: error.headVersion,
    });
    return { conflictUrl: `/prompts/${args.slug}/conflict/${id}`, headVersion: error.headVersion };
  }
}

async function requireStash(db: Db, promptId: string, id: string) {
  const stash = await db.conflictDraft.findFirst({ where: { id, promptId } });
  if (!stash) throw new NotFoundError("conflict", id, "This conflict was already resolved or discarded.", "id");
  const where = { table: "ConflictDraft", id: stash.id };
  const mine = parseRecord(promptDraftSchema, storedJson(stash.draft, { ...where, column: "draft" }), where);
  return { stash, mine };
}

export async function getConflict(db: Db, slug: string, id: string) {
  const prompt = await requirePrompt(db, slug);
  const { stash, mine } = await requireStash(db, prompt.id, id);
  const [base, head] = await Promise.all([
    requireVersion(db, prompt.id, stash.baseVersion),
    requireVersion(db, prompt.id, prompt.headVersion),
  ]);
  const between = await db.promptVersion.findMany({
    where: { promptId: prompt.id, number: { gt: stash.baseVersion } },
    orderBy: { number: "asc" },
    take: 50,
    select: versionSummarySelect,
  });
  const plan = planMerge(base.draft, mine, head.draft);
  return {
    prompt,
    id: stash.id,
    message: stash.message,
    baseVersion: stash.baseVersion,
    headVersion: prompt.headVersion,
    between: between.map(toVersionSummary),
    mineDiff: diffDrafts(base.draft, mine),
    theirsDiff: diffDrafts(base.draft, head.draft),
    plan,
    drafts: { base: base.draft, mine, theirs: head.draft },
  };
}

/**
 * Resolves a conflict: "merge" saves the three-way merge with the user's choices, "overwrite"
 * saves the user's draft as it is, both on top of `headVersion` (the head the user looked at —
 * another save since then is a new conflict); "discard" drops the draft.
 */
export async function resolveConflict(
  db: Db,
  args: {
    slug: string;
    id: string;
    action: "merge" | "overwrite" | "discard";
    headVersion: number;
    choices?: Record<string, Choice>;
    message?: string;
    authorId?: string | null;
    actor?: Actor | null;
  },
) {
  const prompt = await requirePrompt(db, args.slug);
  const { stash, mine } = await requireStash(db, prompt.id, args.id);
  if (args.action === "discard") {
    await db.conflictDraft.delete({ where: { id: stash.id } });
    return { saved: null };
  }
  let draft = mine;
  let message = (args.message ?? stash.message).trim();
  if (args.action === "merge") {
    const [base, head] = await Promise.all([
      requireVersion(db, prompt.id, stash.baseVersion),
      requireVersion(db, prompt.id, args.headVersion, "headVersion"),
    ]);
    draft = applyMerge(planMerge(base.draft, mine, head.draft), args.choices ?? {});
    message = message || `Merged with version ${args.headVersion}`;
  } else {
    message = message || `Overwrote version ${args.headVersion}`;
  }
  try {
    // The kept draft goes with the save that resolves it: both or neither.
    const includes = await checkedIncludes(draft);
    const version = await db.$transaction(async (tx) => {
      const saved = await saveVersionIn(
        tx,
        {
          promptId: prompt.id,
          baseVersion: args.headVersion,
          draft,
          message,
          authorId: args.authorId ?? args.actor?.id ?? null,
          allowUnchanged: true,
          actor: args.actor,
          audit: { action: "version.save", details: { resolved: args.action, over: args.headVersion } },
        },
        includes,
      );
      await tx.conflictDraft.deleteMany({ where: { id: stash.id } });
      return saved;
    });
    return { saved: version.number };
  } catch (error) {
    if (error instanceof VersionConflictError) {
      // Yet another save landed: show the conflict again against the new head.
      await db.conflictDraft.update({ where: { id: stash.id }, data: { headVersion: error.headVersion } });
    }
    throw error;
  }
}
