/**
 * The trash: deleted prompts and snippets stay restorable for 30 days, then are deleted for good by
 * purgeExpiredTrash, which the scheduled `npm run trash:purge` command runs (never a page view).
 */
import { SYSTEM_ACTOR } from "~/server/auth/actor";
import { recordAudit, type Actor } from "./audit.server";
import type { Db } from "~/server/db.server";
import { ConflictError, NotFoundError } from "~/prompt/errors";
import { assertNoLabelledDependents } from "./snippet-dependents.server";

import { TRASH_DAYS } from "~/library/constants";

export { TRASH_DAYS };
const DAY_MS = 86_400_000;

export function purgeDate(deletedAt: Date): Date {
  return new Date(deletedAt.getTime() + TRASH_DAYS * DAY_MS);
}

export async function listTrash(db: Db, now = new Date(), visibleTo: { userId: string } | null = null) {
  const [prompts, snippets] = await Promise.all([
    db.prompt.findMany({
      where: {
        deletedAt: { not: null },
        ...(visibleTo ? { OR: [{ visibility: { not: "private" } }, { ownerId: visibleTo.userId }] } : {}),
      },
      orderBy: { deletedAt: "desc" },
      take: 500,
      select: {
        id: true,
        name: true,
        slug: true,
        description: true,
        deletedAt: true,
        headVersion: true,
        folder: { select: { path: true } },
      },
    }),
    db.snippet.findMany({
      where: { deletedAt: { not: null } },
      orderBy: { deletedAt: "desc" },
      take: 500,
      select: { id: true, name: true, description: true, deletedAt: true, headVersion: true },
    }),
  ]);
  const view = (d: Date) => ({
    deletedAt: d.toISOString(),
    purgesAt: purgeDate(d).toISOString(),
    daysLeft: Math.max(0, Math.ceil((purgeDate(d).getTime() - now.getTime()) / DAY_MS)),
  });
  return {
    prompts: prompts.map((p) => ({
      id: p.id,
      name: p.name,
      slug: p.slug,
      description: p.description,
      folder: p.folder?.path ?? "",
      headVersion: p.headVersion,
      ...view(p.deletedAt!),
    })),
    snippets: snippets.map((s) => ({
      id: s.id,
      name: s.name,
      description: s.description,
      headVersion: s.headVersion,
      ...view(s.deletedAt!),
    })),
  };
}

/** Brings a prompt back; if its name was taken meanwhile in its folder it comes back as "Name (restored)". */
export async function restorePrompt(db: Db, id: string, actor: Actor | null = null) {
  return db.$transaction(async (tx) => {
    const p = await tx.prompt.findUnique({
      where: { id },
      select: { name: true, folderId: true, deletedAt: true, slug: true },
    });
    if (!p || !p.deletedAt) throw new NotFoundError("prompt", id, "That prompt is not in the trash.", "id");
    let name = p.name;
    const taken = async (n: string) =>
      !!(await tx.prompt.findFirst({
        where: { name: n, folderId: p.folderId, deletedAt: null },
        select: { id: true },
      }));
    if (await taken(name)) {
      const stem = p.name.slice(0, 100);
      name = `${stem} (restored)`;
      for (let i = 2; await taken(name); i++) name = `${stem} (restored ${i})`;
    }
    await tx.prompt.update({ where: { id }, data: { deletedAt: null, name } });
    await recordAudit(tx, actor, {
      action: "prompt.restore",
      target: { type: "prompt", id, name },
      details: name !== p.name ? { renamedFrom: p.name } : undefined,
    });
    return { slug: p.slug, name, previousName: p.name, renamed: name !== p.name };
  });
}

/** Deletes a trashed prompt and all its versions for good. */
export async function deletePromptForever(db: Db, id: string, actor: Actor | null = null) {
  await db.$transaction(async (tx) => {
    const p = await tx.prompt.findUnique({ where: { id }, select: { deletedAt: true, name: true, slug: true } });
    if (!p || !p.deletedAt)
      throw new ConflictError("prompt", "Only a prompt in the trash can be deleted permanently.", "id");
    // Labels restrict deleting the versions they point at: remove them (and their events) first.
    await tx.label.deleteMany({ where: { promptId: id } });
    // Change requests name the prompt without a foreign key: they go with it.
    await tx.labelChangeRequest.deleteMany({ where: { promptId: id } });
    const { count } = await tx.prompt.deleteMany({ where: { id, deletedAt: { not: null } } });
    if (count !== 1) throw new ConflictError("prompt", "Only a prompt in the trash can be deleted permanently.", "id");
    await recordAudit(tx, actor, {
      action: "prompt.purge",
      target: { type: "prompt", id, name: p.name },
      details: { slug: p.slug },
    });
  });
}

/**
 * Moves a snippet to the trash. Refused while a labelled version pins it: those versions would
 * still render (pins carry the text), but nobody could see or update what they render.
 */
export async function trashSnippet(db: Db, name: string, now = new Date(), actor: Actor | null = null) {
  const snippet = await db.snippet.findFirst({ where: { name, deletedAt: null }, select: { id: true, name: true } });
  if (!snippet) throw NotFoundError.snippet(name);
  await assertNoLabelledDependents(db, snippet);
  await db.$transaction(async (tx) => {
    const r = await tx.snippet.updateMany({ where: { id: snippet.id, deletedAt: null }, data: { deletedAt: now } });
    if (r.count !== 1) throw NotFoundError.snippet(name);
    await recordAudit(tx, actor, { action: "snippet.trash", target: { type: "snippet", id: snippet.id, name } });
  });
}

export async function restoreSnippet(db: Db, id: string, actor: Actor | null = null) {
  await db.$transaction(async (tx) => {
    const r = await tx.snippet.updateMany({ where: { id, deletedAt: { not: null } }, data: { deletedAt: null } });
    if (r.count !== 1) throw new NotFoundError("snippet", id, "That snippet is not in the trash.", "id");
    const s = await tx.snippet.findUniqueOrThrow({ where: { id }, select: { name: true } });
    await recordAudit(tx, actor, { action: "snippet.restore", target: { type: "snippet", id, name: s.name } });
  });
}

export async function deleteSnippetForever(db: Db, id: string, actor: Actor | null = null) {
  await db.$transaction(async (tx) => {
    const s = await tx.snippet.findFirst({ where: { id, deletedAt: { not: null } }, select: { name: true } });
    const r = await tx.snippet.deleteMany({ where: { id, deletedAt: { not: null } } });
    if (!s || r.count !== 1)
      throw new ConflictError("snippet", "Only a snippet in the trash can be deleted permanently.", "id");
    await recordAudit(tx, actor, { action: "snippet.purge", target: { type: "snippet", id, name: s.name } });
  });
}

/**
 * Deletes everything that has been in the trash for more than 30 days; returns what it removed.
 * Safe when two replicas run it at once: each prompt goes in its own transaction whose delete is
 * conditional (still trashed, still expired), so a prompt the other run took counts 0 here and a
 * prompt restored meanwhile is kept.
 */
export async function purgeExpiredTrash(db: Db, now = new Date()) {
  const cutoff = new Date(now.getTime() - TRASH_DAYS * DAY_MS);
  let prompts = 0;
  let after: string | undefined;
  for (;;) {
    const batch = await db.prompt.findMany({
      where: { deletedAt: { lt: cutoff }, ...(after ? { id: { gt: after } } : {}) },
      select: { id: true },
      orderBy: { id: "asc" },
      take: 200,
    });
    for (const { id } of batch) prompts += await purgePrompt(db, id, cutoff);
    if (batch.length < 200) break;
    after = batch[batch.length - 1]!.id;
  }
  const snippets = await db.$transaction(async (tx) => {
    const gone = await tx.snippet.findMany({ where: { deletedAt: { lt: cutoff } }, select: { id: true, name: true } });
    const { count } = await tx.snippet.deleteMany({ where: { id: { in: gone.map((s) => s.id) } } });
    for (const s of gone)
      await recordAudit(tx, SYSTEM_ACTOR, {
        action: "snippet.purge",
        target: { type: "snippet", id: s.id, name: s.name },
        details: { expired: true },
      });
    return count;
  });
  // Conflict drafts nobody came back to.
  await db.conflictDraft.deleteMany({ where: { createdAt: { lt: cutoff } } });
  return { prompts, snippets };
}

async function purgePrompt(db: Db, id: string, cutoff: Date): Promise<number> {
  return db.$transaction(async (tx) => {
    const expired = { id, deletedAt: { lt: cutoff } };
    // Labels restrict deleting the versions they point at: remove them (and their events) first,
    // but only while the prompt is still expired trash.
    await tx.label.deleteMany({ where: { promptId: id, prompt: { deletedAt: { lt: cutoff } } } });
    const p = await tx.prompt.findFirst({ where: expired, select: { name: true, slug: true } });
    const { count } = await tx.prompt.deleteMany({ where: expired });
    if (count === 1 && p) {
      await tx.labelChangeRequest.deleteMany({ where: { promptId: id } });
      await recordAudit(tx, SYSTEM_ACTOR, {
        action: "prompt.purge",
        target: { type: "prompt", id, name: p.name },
        details: { slug: p.slug, expired: true },
      });
    }
    return count;
  });
}
