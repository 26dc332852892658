/**
 * The rows a `.prompt` zip is made of (app/library/prompt-zip.ts): the live prompts of a folder
 * (and its subfolders) or of the library that the caller may see, each with its newest version,
 * and every live snippet's newest template.
 */
import type { Db } from "~/server/db.server";
import { InvalidError } from "~/prompt/errors";
import type { ZipPrompt, ZipSnippet } from "~/library/prompt-zip";
import type { VisibleTo } from "./library.server";
import { versionInclude, versionToDraft } from "./prompt-store.server";

/** The most prompts one zip holds (a bigger library is exported folder by folder). */
export const MAX_ZIP_PROMPTS = 2000;

export async function zipContents(
  db: Db,
  folder: string,
  visibleTo: VisibleTo,
): Promise<{ prompts: ZipPrompt[]; snippets: ZipSnippet[] }> {
  const prompts = await db.prompt.findMany({
    where: {
      deletedAt: null,
      ...(folder ? { OR: [{ folder: { path: folder } }, { folder: { path: { startsWith: `${folder}/` } } }] } : {}),
      ...(visibleTo ? { OR: [{ visibility: { not: "private" } }, { ownerId: visibleTo.userId }] } : {}),
    },
    select: {
      id: true,
      slug: true,
      name: true,
      description: true,
      headVersion: true,
      folder: { select: { path: true } },
      tags: { select: { tag: { select: { name: true } } } },
      labels: { select: { name: true, version: { select: { number: true } } } },
    },
    orderBy: { slug: "asc" },
    take: MAX_ZIP_PROMPTS + 1,
  });
  if (prompts.length > MAX_ZIP_PROMPTS)
    throw InvalidError.field("folder", `More than ${MAX_ZIP_PROMPTS} prompts: export one folder at a time.`);
  const out: ZipPrompt[] = [];
  for (const p of prompts) {
    const version = await db.promptVersion.findUnique({
      where: { promptId_number: { promptId: p.id, number: p.headVersion } },
      include: versionInclude,
    });
    if (!version) continue;
    out.push({
      slug: p.slug,
      name: p.name,
      description: p.description,
      folder: p.folder?.path ?? "",
      tags: p.tags.map((t) => t.tag.name).sort(),
      headVersion: p.headVersion,
      labels: Object.fromEntries(p.labels.map((l) => [l.name, l.version.number])),
      draft: versionToDraft(version),
    });
  }
  const snippets = await db.snippet.findMany({
    where: { deletedAt: null },
    select: { id: true, name: true, description: true, headVersion: true },
    orderBy: { name: "asc" },
  });
  const heads = snippets.length
    ? await db.snippetVersion.findMany({
        where: { OR: snippets.map((s) => ({ snippetId: s.id, number: s.headVersion })) },
        select: { snippetId: true, template: true },
      })
    : [];
  const template = new Map(heads.map((h) => [h.snippetId, h.template]));
  return {
    prompts: out,
    snippets: snippets.map((s) => ({
      name: s.name,
      description: s.description,
      headVersion: s.headVersion,
      template: template.get(s.id) ?? "",
    })),
  };
}
