/**
 * The write half of the JSON API (docs/decisions/125): create a prompt, add a version on top of the
 * one it was based on, move a label, create and version snippets, trash and restore. Each goes
 * through the same model function the pages use, so their rules (names, limits, protected labels,
 * pinned snippets, cycles) apply unchanged; a version conflict answers with both versions.
 */
import type { ApiPrompt, ApiSnippet, PromptCreateRequest, VersionCreateRequest } from "~/api/schemas";
import type { Db } from "~/server/db.server";
import { promptDraftSchema, type PromptDraft } from "~/prompt/draft";
import { ConflictError, NotFoundError, VersionConflictError } from "~/prompt/errors";
import { parseInput } from "~/prompt/zod-issues";
import { apiGet, apiSnippet } from "./api.server";
import { loadVersion, requirePrompt } from "./history.server";
import type { Actor } from "./audit.server";
import { trashPrompts } from "./organize.server";
import { createPrompt, saveVersion } from "./prompt-store.server";
import { createSnippet, saveSnippet } from "./snippets.server";
import { purgeDate, restorePrompt, restoreSnippet, trashSnippet } from "./trash.server";

/** A save refused because the prompt moved on, with both versions for the client to merge. */
export class ApiVersionConflict extends VersionConflictError {
  constructor(
    error: VersionConflictError,
    readonly versions: { base: unknown; head: unknown },
  ) {
    super(error.what, error.id, error.baseVersion, error.headVersion);
  }
}

function draftOf(body: { sections: PromptDraft["sections"]; variables: unknown; modelSettings: unknown }): PromptDraft {
  // The refinements of a whole draft (a variable declared twice, two histories) with the body's paths.
  return parseInput(promptDraftSchema, body);
}

export async function apiCreatePrompt(db: Db, body: PromptCreateRequest, actor: Actor): Promise<ApiPrompt> {
  const draft = draftOf(body);
  if (body.slug && (await db.prompt.findUnique({ where: { slug: body.slug }, select: { id: true } })))
    throw new ConflictError("prompt", `The slug "${body.slug}" is taken (perhaps by a prompt in the trash).`, "slug");
  const { prompt } = await createPrompt(db, {
    meta: { name: body.name, description: body.description, tags: body.tags, folder: body.folder },
    draft,
    message: body.message,
    actor,
    ...(body.slug ? { slug: body.slug } : {}),
  });
  return apiGet(db, prompt.slug, { version: 1 });
}

/**
 * The sections of a version sent without the builder's ids keep those of the version it is based
 * on where position and kind match, so comparing the two versions pairs the sections up.
 */
function withBaseIds(draft: PromptDraft, base: PromptDraft | null): PromptDraft {
  if (!base) return draft;
  return {
    ...draft,
    sections: draft.sections.map((s, i) => {
      const from = base.sections[i];
      return from && from.kind === s.kind && from.id ? { ...s, id: from.id } : s;
    }),
  };
}

async function versionOf(db: Db, slug: string, number: number) {
  return (await apiGet(db, slug, { version: number })).version;
}

export async function apiAddVersion(
  db: Db,
  slug: string,
  body: VersionCreateRequest,
  actor: Actor,
): Promise<ApiPrompt> {
  const prompt = await requirePrompt(db, slug);
  const base =
    body.baseVersion <= prompt.headVersion
      ? ((await loadVersion(db, prompt.id, body.baseVersion))?.draft ?? null)
      : null;
  if (!base && body.baseVersion > prompt.headVersion)
    throw new VersionConflictError("prompt", prompt.id, body.baseVersion, prompt.headVersion);
  try {
    const version = await saveVersion(db, {
      promptId: prompt.id,
      baseVersion: body.baseVersion,
      draft: withBaseIds(draftOf(body), base),
      message: body.message,
      actor,
    });
    return apiGet(db, slug, { version: version.number });
  } catch (error) {
    if (error instanceof VersionConflictError && !(error instanceof ApiVersionConflict))
      throw new ApiVersionConflict(error, {
        base: await versionOf(db, slug, error.baseVersion),
        head: await versionOf(db, slug, error.headVersion),
      });
    throw error;
  }
}

export async function apiTrashPrompt(db: Db, slug: string, actor: Actor, now = new Date()) {
  const prompt = await requirePrompt(db, slug);
  await trashPrompts(db, [prompt.id], now, actor);
  return { trashed: true as const, purgeAfter: purgeDate(now).toISOString() };
}

export async function apiRestorePrompt(db: Db, slug: string, actor: Actor) {
  const prompt = await requirePrompt(db, slug, { includeTrashed: true });
  const live = await db.prompt.findFirst({ where: { id: prompt.id, deletedAt: null }, select: { id: true } });
  if (live) throw new ConflictError("prompt", `"${prompt.name}" is not in the trash.`, "slug");
  const restored = await restorePrompt(db, prompt.id, actor);
  return { slug: restored.slug, name: restored.name, renamed: restored.renamed };
}

// --- snippets ----------------------------------------------------------------------------------

export async function apiCreateSnippet(
  db: Db,
  body: { name: string; description: string; template: string; message: string },
  actor: Actor,
): Promise<ApiSnippet> {
  const snippet = await createSnippet(db, body, actor);
  return apiSnippet(db, snippet.name, { version: 1 });
}

export class ApiSnippetConflict extends VersionConflictError {
  constructor(
    error: VersionConflictError,
    readonly versions: { base: unknown; head: unknown },
  ) {
    super(error.what, error.id, error.baseVersion, error.headVersion);
  }
}

export async function apiAddSnippetVersion(
  db: Db,
  name: string,
  body: { baseVersion: number; template: string; description?: string; message: string },
  actor: Actor,
): Promise<ApiSnippet> {
  const current = await apiSnippet(db, name, {});
  try {
    const version = await saveSnippet(db, {
      name,
      baseVersion: body.baseVersion,
      input: {
        name,
        template: body.template,
        description: body.description ?? current.description,
        message: body.message,
      },
      actor,
    });
    return apiSnippet(db, name, { version: version.number });
  } catch (error) {
    if (error instanceof VersionConflictError && !(error instanceof ApiSnippetConflict)) {
      const base =
        error.baseVersion <= error.headVersion
          ? (await apiSnippet(db, name, { version: error.baseVersion })).version
          : null;
      throw new ApiSnippetConflict(error, { base, head: (await apiSnippet(db, name, {})).version });
    }
    throw error;
  }
}

export async function apiTrashSnippet(db: Db, name: string, actor: Actor, now = new Date()) {
  await trashSnippet(db, name, now, actor);
  return { trashed: true as const, purgeAfter: purgeDate(now).toISOString() };
}

export async function apiRestoreSnippet(db: Db, name: string, actor: Actor) {
  const snippet = await db.snippet.findUnique({ where: { name }, select: { id: true, deletedAt: true } });
  if (!snippet) throw NotFoundError.snippet(name);
  if (!snippet.deletedAt) throw new ConflictError("snippet", `The snippet "${name}" is not in the trash.`, "name");
  await restoreSnippet(db, snippet.id, actor);
  return { name, restored: true as const };
}
