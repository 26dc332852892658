/**
 * Export: the library (or a selection) as a bundle (app/transfer/bundle.ts, decision 121). Reads
 * only what the caller may see; every list in a fixed order so the same library gives the same bytes.
 * Bounded: a selection over `maxVersions` prompt versions is refused before any version is read.
 */
import type { Db } from "~/server/db.server";
import { InvalidError, NotFoundError } from "~/prompt/errors";
import { readTestValueSets } from "~/prompt/test-values";
import { BUNDLE_FORMAT_VERSION, type Bundle, type BundlePrompt, type BundleSnippet } from "~/transfer/bundle";
import { versionInclude, versionToDraft } from "./prompt-store.server";

export type ExportSelection = {
  /** Prompts by slug; empty with no folder = the whole library. */
  slugs: string[];
  /** A folder path: the prompts in it and its subfolders. */
  folder?: string;
  /** Trashed prompts and snippets too (the database transfer wants everything). */
  includeTrash: boolean;
};

export type ExportOptions = {
  /** null: everything (admin, single-user mode); else the private prompts of others are left out. */
  scope: { userId: string } | null;
  /** The most prompt versions one export may hold (EXPORT_MAX_VERSIONS); Infinity for the CLI. */
  maxVersions: number;
};

const iso = (d: Date) => d.toISOString();
const isoOrNull = (d: Date | null) => (d ? d.toISOString() : null);
const byString = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Who, as text: the account's e-mail, or the text kept when the row was imported. */
function personOf(user: { email: string } | null, imported: string | null): string | null {
  return user?.email ?? imported ?? null;
}

/** The ids of the prompts an export holds, in slug order, after visibility. */
async function selectedPrompts(db: Db, selection: ExportSelection, scope: ExportOptions["scope"]) {
  const where = {
    ...(selection.includeTrash ? {} : { deletedAt: null }),
    ...(selection.slugs.length ? { slug: { in: selection.slugs } } : {}),
    ...(selection.folder
      ? { folder: { OR: [{ path: selection.folder }, { path: { startsWith: `${selection.folder}/` } }] } }
      : {}),
    ...(scope ? { OR: [{ visibility: "shared" }, { ownerId: scope.userId }] } : {}),
  };
  const prompts = await db.prompt.findMany({ where, select: { id: true, slug: true }, orderBy: { slug: "asc" } });
  const found = new Set(prompts.map((p) => p.slug));
  const missing = selection.slugs.filter((s) => !found.has(s));
  if (missing.length) throw new NotFoundError("prompt", missing[0]!, `No prompt "${missing[0]}" to export.`, "prompt");
  if (selection.folder && !(await db.folder.findUnique({ where: { path: selection.folder } })))
    throw new NotFoundError("folder", selection.folder, `No folder "${selection.folder}".`, "folder");
  return prompts.sort((a, b) => byString(a.slug, b.slug));
}

async function exportPrompt(db: Db, id: string): Promise<{ prompt: BundlePrompt; snippetIds: string[] }> {
  const p = await db.prompt.findUniqueOrThrow({
    where: { id },
    include: {
      folder: { select: { path: true } },
      owner: { select: { email: true } },
      tags: { select: { tag: { select: { name: true } } } },
      versions: {
        orderBy: { number: "asc" },
        include: { ...versionInclude, author: { select: { email: true } } },
      },
      labels: {
        orderBy: { name: "asc" },
        include: {
          version: { select: { number: true } },
          events: { orderBy: [{ createdAt: "asc" }, { id: "asc" }], include: { actor: { select: { email: true } } } },
        },
      },
    },
  });
  const snippetIds = new Set<string>();
  const versions = p.versions.map((v) => {
    const draft = versionToDraft(v);
    for (const pin of v.snippetPins) if (pin.snippetId) snippetIds.add(pin.snippetId);
    return {
      number: v.number,
      message: v.message,
      author: personOf(v.author, v.importedAuthor),
      createdAt: iso(v.createdAt),
      sections: draft.sections,
      variables: draft.variables,
      modelSettings: draft.modelSettings,
      // The snippet's name is filled in by the caller, which reads the snippets once.
      pins: v.snippetPins.map((pin) => ({
        name: pin.name,
        snippet: pin.snippetId,
        snippetVersion: pin.snippetNumber,
        template: pin.template,
      })),
    };
  });
  const prompt: BundlePrompt = {
    slug: p.slug,
    name: p.name,
    description: p.description,
    folder: p.folder?.path ?? "",
    tags: p.tags.map((t) => t.tag.name).sort(byString),
    favorite: p.favorite,
    visibility: p.visibility === "private" ? "private" : "shared",
    owner: personOf(p.owner, p.importedOwner),
    headVersion: p.headVersion,
    createdAt: iso(p.createdAt),
    updatedAt: iso(p.updatedAt),
    deletedAt: isoOrNull(p.deletedAt),
    testValues: readTestValueSets(p.testValues),
    versions,
    labels: p.labels.map((l) => ({
      name: l.name,
      version: l.version.number,
      protected: l.protected,
      updatedAt: iso(l.updatedAt),
      events: l.events.map((e) => ({
        from: e.fromNumber,
        to: e.toNumber,
        actor: personOf(e.actor, e.importedActor),
        at: iso(e.createdAt),
      })),
    })),
  };
  return { prompt, snippetIds: [...snippetIds] };
}

async function exportSnippets(db: Db, where: object): Promise<Array<BundleSnippet & { id: string }>> {
  const rows = await db.snippet.findMany({
    where,
    orderBy: { name: "asc" },
    include: { versions: { orderBy: { number: "asc" }, include: { author: { select: { email: true } } } } },
  });
  return rows
    .sort((a, b) => byString(a.name, b.name))
    .map((s) => ({
      id: s.id,
      name: s.name,
      description: s.description,
      headVersion: s.headVersion,
      createdAt: iso(s.createdAt),
      updatedAt: iso(s.updatedAt),
      deletedAt: isoOrNull(s.deletedAt),
      versions: s.versions.map((v) => ({
        number: v.number,
        template: v.template,
        message: v.message,
        author: personOf(v.author, v.importedAuthor),
        createdAt: iso(v.createdAt),
      })),
    }));
}

/** Every folder on the way to `path` ("a/b" → "a", "a/b"). */
function withParents(path: string): string[] {
  const parts = path.split("/");
  return parts.map((_, i) => parts.slice(0, i + 1).join("/"));
}

/**
 * The bundle of a selection (or the whole library). A selection carries the folders and tags its
 * prompts use and every snippet their versions pin (all of its versions), so it imports on its own.
 */
export async function exportBundle(db: Db, selection: ExportSelection, options: ExportOptions): Promise<Bundle> {
  const whole = selection.slugs.length === 0 && !selection.folder;
  const ids = await selectedPrompts(db, selection, options.scope);
  const count = await db.promptVersion.count({ where: { promptId: { in: ids.map((p) => p.id) } } });
  if (count > options.maxVersions)
    throw new InvalidError(
      `This export would hold ${count} prompt versions; the limit is ${options.maxVersions}. Export a folder or a selection, or use npm run db:transfer.`,
      [{ path: [], message: `at most ${options.maxVersions} versions` }],
    );

  const prompts: BundlePrompt[] = [];
  const pinned = new Set<string>();
  for (const { id } of ids) {
    const { prompt, snippetIds } = await exportPrompt(db, id);
    prompts.push(prompt);
    for (const s of snippetIds) pinned.add(s);
  }
  const snippets = await exportSnippets(
    db,
    // A trashed snippet a version pins comes too: the pin must name a snippet the bundle holds.
    whole && selection.includeTrash
      ? {}
      : whole
        ? { OR: [{ deletedAt: null }, { id: { in: [...pinned] } }] }
        : { id: { in: [...pinned] } },
  );
  // Pins name their snippet by its name now (and null for a snippet deleted for good).
  const names = new Map(
    (await db.snippet.findMany({ where: { id: { in: [...pinned] } }, select: { id: true, name: true } })).map((s) => [
      s.id,
      s.name,
    ]),
  );
  for (const p of prompts)
    for (const v of p.versions)
      for (const pin of v.pins) pin.snippet = pin.snippet === null ? null : (names.get(pin.snippet) ?? null);

  const folderPaths = whole ? null : new Set(prompts.flatMap((p) => (p.folder ? withParents(p.folder) : [])));
  const folders = await db.folder.findMany({
    where: folderPaths ? { path: { in: [...folderPaths] } } : {},
    select: { path: true, createdAt: true },
  });
  const tagNames = whole ? null : new Set(prompts.flatMap((p) => p.tags));
  const tags = await db.tag.findMany({
    where: tagNames ? { name: { in: [...tagNames] } } : {},
    select: { name: true, createdAt: true },
  });
  return {
    formatVersion: BUNDLE_FORMAT_VERSION,
    folders: folders
      .map((f) => ({ path: f.path, createdAt: iso(f.createdAt) }))
      .sort((a, b) => byString(a.path, b.path)),
    tags: tags.map((t) => ({ name: t.name, createdAt: iso(t.createdAt) })).sort((a, b) => byString(a.name, b.name)),
    snippets: snippets.map(({ id: _id, ...s }) => s),
    prompts,
  };
}
