/**
 * Organising the library: details (name, description), folders, tags (add on the fly, rename,
 * merge), favourites, duplicate, move, and bulk actions on a selection. Each action is one
 * transaction; user mistakes are domain errors (~/prompt/errors) naming the field they belong to.
 */
import { z } from "zod";
import type { Db } from "~/server/db.server";
import { transact } from "~/server/db/write-race.server";
import { LIMITS, promptMetaSchema } from "~/prompt/draft";
import { MAX_TAGS, tagNameSchema } from "~/prompt/tags";
import { invalidateFacets } from "./library-page.server";
import type { VisibleTo } from "./library.server";
import { promptVisibleWhere } from "./visibility.server";
import { recordAudit, type Actor } from "./audit.server";
import {
  createPrompt,
  ensureFolder,
  getPromptForEdit,
  sectionExamples,
  setPromptTags,
  type Tx,
} from "./prompt-store.server";
import { ConflictError, InvalidError, NotFoundError } from "~/prompt/errors";
import { parseInput } from "~/prompt/zod-issues";
import { DEFAULT_TEST_SET, readTestValueSets } from "~/prompt/test-values";
import { searchDocument } from "~/library/search-text";

export const folderPathSchema = promptMetaSchema.shape.folder;
export { tagNameSchema };
export const promptNameSchema = promptMetaSchema.shape.name;

const detailsSchema = z.object({ name: promptNameSchema, description: promptMetaSchema.shape.description });

/** Tags typed in one field ("a, b"), each checked: an issue per bad tag at ["tags", index]. */
export function parseTagList(tags: readonly unknown[]): string[] {
  return [...new Set(parseInput(z.array(tagNameSchema), tags, { path: ["tags"], labels: { tags: "Tag" } }))];
}

const MAX_SELECTION = 500;

function selection(ids: readonly string[]): string[] {
  const unique = [...new Set(ids.filter((id) => typeof id === "string" && id.length > 0 && id.length <= 64))];
  if (!unique.length) throw InvalidError.field("ids", "Select at least one prompt.");
  if (unique.length > MAX_SELECTION)
    throw InvalidError.field("ids", `Select at most ${MAX_SELECTION} prompts at a time.`);
  return unique;
}

async function livePrompts(tx: Tx, ids: string[]) {
  const found = await tx.prompt.findMany({
    where: { id: { in: ids }, deletedAt: null },
    select: { id: true, name: true, folderId: true },
  });
  if (found.length !== ids.length)
    throw new ConflictError(
      "prompt",
      "Some selected prompts no longer exist or are in the trash; reload the page.",
      "ids",
    );
  return found;
}

async function refreshSearch(tx: Tx, promptId: string) {
  const p = await tx.prompt.findUniqueOrThrow({
    where: { id: promptId },
    select: { name: true, description: true, headVersion: true },
  });
  const sections = await tx.section.findMany({
    where: { version: { promptId, number: p.headVersion } },
    orderBy: { position: "asc" },
    select: { id: true, title: true, template: true, data: true },
  });
  const doc = searchDocument({
    name: p.name,
    description: p.description,
    sections: sections.map((s) => ({ title: s.title, template: s.template, examples: sectionExamples(s) })),
  });
  await tx.prompt.update({ where: { id: promptId }, data: { searchText: doc } });
}

/**
 * Renames / re-describes a prompt (its name must stay free in its folder) and, when `tags` is given,
 * replaces its tags — all in one transaction, so a failure leaves the prompt as it was.
 */
export async function updateDetails(
  db: Db,
  promptId: string,
  input: { name: unknown; description: unknown; tags?: readonly unknown[] },
  actor: Actor | null = null,
) {
  const { name, description } = parseInput(
    detailsSchema,
    { name: input.name, description: input.description ?? "" },
    { labels: { name: "Name", description: "Description" } },
  );
  const tags = input.tags
    ? parseTagList(input.tags.map((t) => (typeof t === "string" ? t.trim() : t)).filter((t) => t !== ""))
    : undefined;
  if (tags && tags.length > MAX_TAGS) throw InvalidError.field("tags", `At most ${MAX_TAGS} tags.`);
  await transact(db, async (tx) => {
    const p = await tx.prompt.findFirst({
      where: { id: promptId, deletedAt: null },
      select: { folderId: true, name: true, description: true },
    });
    if (!p) throw NotFoundError.prompt(promptId);
    await assertNamesFree(tx, [{ id: promptId, name }], p.folderId);
    await tx.prompt.update({ where: { id: promptId }, data: { name, description } });
    await refreshSearch(tx, promptId);
    if (tags) await setPromptTags(tx, promptId, tags);
    await recordAudit(tx, actor, {
      action: "prompt.details",
      target: { type: "prompt", id: promptId, name },
      details: {
        ...(p.name !== name ? { renamedFrom: p.name } : {}),
        ...(p.description !== description ? { description: "changed" } : {}),
        ...(tags ? { tags } : {}),
      },
    });
  });
  if (tags) invalidateFacets(db);
}

async function assertNamesFree(
  tx: Tx,
  prompts: Array<{ id: string; name: string }>,
  folderId: string | null,
  field = "name",
) {
  const names = [...new Set(prompts.map((p) => p.name))];
  const ids = prompts.map((p) => p.id);
  const clash = await tx.prompt.findFirst({
    where: { name: { in: names }, folderId, deletedAt: null, id: { notIn: ids } },
    select: { name: true },
  });
  if (clash) throw new ConflictError("prompt", `A prompt named "${clash.name}" already exists in that folder.`, field);
  const seen = new Set<string>();
  for (const p of prompts) {
    if (seen.has(p.name))
      throw new ConflictError(
        "prompt",
        `Two selected prompts are both named "${p.name}"; they cannot share a folder.`,
        field,
      );
    seen.add(p.name);
  }
}

export async function setFavorite(db: Db, promptId: string, favorite: boolean) {
  const p = await db.prompt.findFirst({ where: { id: promptId, deletedAt: null }, select: { updatedAt: true } });
  if (!p) throw NotFoundError.prompt(promptId, "id");
  // A favourite is not a change to the prompt: keep its "last change".
  await db.prompt.update({ where: { id: promptId }, data: { favorite, updatedAt: p.updatedAt } });
}

/** Moves prompts to the folder at `path` ("" = no folder), creating it and its parents. */
export async function movePrompts(db: Db, ids: readonly string[], path: unknown, actor: Actor | null = null) {
  const folder = parseInput(folderPathSchema, path ?? "", { path: ["folder"], labels: { folder: "Folder" } });
  const chosen = selection(ids);
  const result = await transact(db, async (tx) => {
    const prompts = await livePrompts(tx, chosen);
    const folderId = await ensureFolder(tx, folder);
    await assertNamesFree(tx, prompts, folderId, "folder");
    await tx.prompt.updateMany({ where: { id: { in: chosen } }, data: { folderId } });
    for (const p of prompts)
      await recordAudit(tx, actor, {
        action: "prompt.move",
        target: { type: "prompt", id: p.id, name: p.name },
        details: { folder },
      });
    return { moved: prompts.length, folder };
  });
  invalidateFacets(db);
  return result;
}

async function tagId(tx: Tx, name: string) {
  return (await tx.tag.upsert({ where: { name }, create: { name }, update: {}, select: { id: true } })).id;
}

/** Adds or removes tags on a selection; adding creates tags on the fly. */
export async function tagPrompts(
  db: Db,
  ids: readonly string[],
  tags: readonly unknown[],
  mode: "add" | "remove",
  actor: Actor | null = null,
) {
  const chosen = selection(ids);
  const names = parseTagList(tags);
  if (!names.length) throw InvalidError.field("tags", "Enter at least one tag.");
  await transact(db, async (tx) => {
    const prompts = await livePrompts(tx, chosen);
    for (const p of prompts)
      await recordAudit(tx, actor, {
        action: "prompt.tag",
        target: { type: "prompt", id: p.id, name: p.name },
        details: { [mode]: names },
      });
    for (const name of names) {
      if (mode === "add") {
        const id = await tagId(tx, name);
        const existing = new Set(
          (
            await tx.promptTag.findMany({ where: { tagId: id, promptId: { in: chosen } }, select: { promptId: true } })
          ).map((r) => r.promptId),
        );
        const data = chosen.filter((p) => !existing.has(p)).map((promptId) => ({ promptId, tagId: id }));
        if (data.length) await tx.promptTag.createMany({ data });
      } else {
        await tx.promptTag.deleteMany({ where: { promptId: { in: chosen }, tag: { name } } });
      }
    }
  });
  invalidateFacets(db);
}

/** Moves a selection to the trash. */
export async function trashPrompts(db: Db, ids: readonly string[], now = new Date(), actor: Actor | null = null) {
  const chosen = selection(ids);
  const count = await transact(db, async (tx) => {
    const prompts = await livePrompts(tx, chosen);
    const trashed = (
      await tx.prompt.updateMany({ where: { id: { in: chosen }, deletedAt: null }, data: { deletedAt: now } })
    ).count;
    for (const p of prompts)
      await recordAudit(tx, actor, { action: "prompt.trash", target: { type: "prompt", id: p.id, name: p.name } });
    return trashed;
  });
  return count;
}

/** Copies a prompt's newest version, details and tags into a new prompt "Name (copy)" in the same folder. */
export async function duplicatePrompt(db: Db, slug: string, actor: Actor | null = null) {
  const found = await getPromptForEdit(db, slug);
  if (!found) throw NotFoundError.prompt(slug);
  const { prompt, draft } = found;
  const taken = new Set(
    (
      await db.prompt.findMany({
        where: {
          folderId: prompt.folderId,
          deletedAt: null,
          name: { startsWith: `${prompt.name.slice(0, LIMITS.nameLength - 12)} (copy` },
        },
        select: { name: true },
      })
    ).map((p) => p.name),
  );
  const stem = prompt.name.slice(0, LIMITS.nameLength - 12);
  let name = `${stem} (copy)`;
  for (let i = 2; taken.has(name); i++) name = `${stem} (copy ${i})`;
  return createPrompt(db, {
    meta: {
      name,
      description: prompt.description,
      folder: prompt.folder?.path ?? "",
      tags: prompt.tags.map((t) => t.tag.name),
    },
    draft,
    message: `Duplicated from ${prompt.name} v${prompt.headVersion}`,
    actor,
    audit: { action: "prompt.duplicate", details: { from: prompt.slug, version: prompt.headVersion } },
    // The copy renders as its source: same snippet versions, same test values.
    pins: found.version.snippetPins,
    testValues: readTestValueSets(prompt.testValues)[DEFAULT_TEST_SET],
  });
}

/** Renames a tag everywhere. A name already in use is refused: merge the tags instead. */
export async function renameTag(db: Db, from: string, to: unknown, actor: Actor | null = null) {
  const target = parseInput(tagNameSchema, to, { path: ["to"], labels: { to: "New name" } });
  await transact(db, async (tx) => {
    const tag = await tx.tag.findUnique({ where: { name: from }, select: { id: true } });
    if (!tag) throw new NotFoundError("tag", from, `There is no tag "${from}".`, "from");
    if (target === from) return;
    if (await tx.tag.findUnique({ where: { name: target }, select: { id: true } })) {
      throw new ConflictError("tag", `A tag "${target}" already exists; merge "${from}" into it instead.`, "to");
    }
    await tx.tag.update({ where: { id: tag.id }, data: { name: target } });
    await recordAudit(tx, actor, {
      action: "tag.rename",
      target: { type: "tag", id: tag.id, name: target },
      details: { from },
    });
  });
  invalidateFacets(db);
}

/** Merges tags into `into` (created if needed): every prompt tagged with any of them gets `into`. */
export async function mergeTags(db: Db, sources: readonly string[], into: unknown, actor: Actor | null = null) {
  const target = parseInput(tagNameSchema, into, { path: ["into"], labels: { into: "Target tag" } });
  const names = [...new Set(sources)].filter((s) => s !== target);
  if (!names.length) throw InvalidError.field("sources", "Choose at least one other tag to merge.");
  const moved = await transact(db, async (tx) => {
    const found = await tx.tag.findMany({ where: { name: { in: names } }, select: { id: true, name: true } });
    if (found.length !== names.length)
      throw new ConflictError("tag", "Some of those tags no longer exist; reload the page.", "sources");
    const targetId = await tagId(tx, target);
    let count = 0;
    for (const source of found) {
      const promptIds = (await tx.promptTag.findMany({ where: { tagId: source.id }, select: { promptId: true } })).map(
        (r) => r.promptId,
      );
      const already = new Set(
        (
          await tx.promptTag.findMany({
            where: { tagId: targetId, promptId: { in: promptIds } },
            select: { promptId: true },
          })
        ).map((r) => r.promptId),
      );
      const data = promptIds.filter((p) => !already.has(p)).map((promptId) => ({ promptId, tagId: targetId }));
      if (data.length) await tx.promptTag.createMany({ data });
      count += data.length;
      await tx.tag.delete({ where: { id: source.id } });
    }
    await recordAudit(tx, actor, {
      action: "tag.merge",
      target: { type: "tag", id: targetId, name: target },
      details: { merged: names, prompts: count },
    });
    return count;
  });
  invalidateFacets(db);
  return { moved };
}

/**
 * Tags with how many live prompts the reader may see carry each. A tag that only other users'
 * private prompts carry is left out (its name would tell about them); unused tags stay.
 */
export async function listTags(db: Db, visibleTo: VisibleTo = null) {
  const tags = await db.tag.findMany({
    orderBy: { name: "asc" },
    select: {
      id: true,
      name: true,
      _count: { select: { prompts: { where: { prompt: { deletedAt: null, ...promptVisibleWhere(visibleTo) } } } } },
    },
  });
  const unseen = tags.filter((t) => t._count.prompts === 0).map((t) => t.id);
  const hidden = new Set(
    visibleTo && unseen.length
      ? (
          await db.promptTag.findMany({
            where: { tagId: { in: unseen }, prompt: { deletedAt: null } },
            select: { tagId: true },
            distinct: ["tagId"],
          })
        ).map((r) => r.tagId)
      : [],
  );
  return tags.filter((t) => !hidden.has(t.id)).map((t) => ({ name: t.name, count: t._count.prompts }));
}

/** Creates an (empty) folder and its parents. */
export async function createFolder(db: Db, path: unknown, actor: Actor | null = null) {
  const folder = parseInput(folderPathSchema, path, { path: ["path"], labels: { path: "Folder" } });
  if (!folder) throw InvalidError.field("path", "Folder is required.");
  await transact(db, async (tx) => {
    const existed = await tx.folder.findUnique({ where: { path: folder }, select: { id: true } });
    const id = await ensureFolder(tx, folder);
    if (!existed && id)
      await recordAudit(tx, actor, { action: "folder.create", target: { type: "folder", id, name: folder } });
  });
  invalidateFacets(db);
  return folder;
}

/** Deletes an empty folder (no prompts, live or trashed, and no subfolders). */
export async function deleteFolder(db: Db, path: string, actor: Actor | null = null) {
  await transact(db, async (tx) => {
    const folder = await tx.folder.findUnique({
      where: { path },
      select: { id: true, _count: { select: { prompts: true, children: true } } },
    });
    if (!folder) throw new NotFoundError("folder", path, `There is no folder "${path}".`, "path");
    if (folder._count.prompts || folder._count.children)
      throw new ConflictError("folder", `"${path}" is not empty: move its prompts and subfolders first.`, "path");
    await tx.folder.delete({ where: { id: folder.id } });
    await recordAudit(tx, actor, { action: "folder.delete", target: { type: "folder", id: folder.id, name: path } });
  });
  invalidateFacets(db);
}

/** Owner and visibility of a prompt ("private": its owner and admins only; "shared": everyone). */
export async function promptAccess(db: Db, promptId: string) {
  return db.prompt.findUniqueOrThrow({ where: { id: promptId }, select: { ownerId: true, visibility: true } });
}

export async function setVisibility(db: Db, promptId: string, visibility: unknown, actor: Actor | null = null) {
  if (visibility !== "private" && visibility !== "shared")
    throw InvalidError.field("visibility", "Visibility must be private or shared.", { malformed: true });
  await db.$transaction(async (tx) => {
    const p = await tx.prompt.update({ where: { id: promptId }, data: { visibility }, select: { name: true } });
    await recordAudit(tx, actor, {
      action: "prompt.visibility",
      target: { type: "prompt", id: promptId, name: p.name },
      details: { visibility },
    });
  });
}
