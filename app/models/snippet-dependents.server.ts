/**
 * Which prompt versions depend on a snippet through their pins: the head version of each live
 * prompt and every labelled version. A pin counts only when the version's templates really
 * include the snippet (directly or through the snippets it pinned): pins written by the migration
 * for older versions are a superset (decision 090).
 */
import type { Db } from "~/server/db.server";
import { analyzeTemplate } from "~/prompt/template-ast";
import { ConflictError } from "~/prompt/errors";
import { resolvePins, type SnippetPin } from "./snippet-pins.server";
import type { VisibleTo } from "./library.server";
import { promptVisibleWhere } from "./visibility.server";

export type SnippetDependent = {
  promptId: string;
  promptName: string;
  slug: string;
  versionId: string;
  version: number;
  isHead: boolean;
  labels: string[];
  /** The snippet version this version pins. */
  pinnedNumber: number;
};

/** The names a version's templates include, through its pins. */
export function includedThroughPins(templates: readonly string[], pins: readonly SnippetPin[]): Set<string> {
  const direct = new Set<string>();
  for (const t of templates) for (const p of analyzeTemplate(t).partials) direct.add(p.name);
  const byName = new Map(pins.map((p) => [p.name, p]));
  return new Set(resolvePins([...direct], byName).map((p) => p.name));
}

/**
 * Head and labelled versions of live prompts that pin snippet `snippetId`, newest prompt name first;
 * with `visibleTo`, only of the prompts that reader may see.
 */
export async function snippetDependents(
  db: Db,
  snippetId: string,
  visibleTo: VisibleTo = null,
): Promise<SnippetDependent[]> {
  const rows = await db.versionSnippetPin.findMany({
    where: { snippetId, version: { prompt: { deletedAt: null, ...promptVisibleWhere(visibleTo) } } },
    take: 10_000,
    select: {
      name: true,
      snippetNumber: true,
      version: {
        select: {
          id: true,
          number: true,
          labels: { select: { name: true }, orderBy: { name: "asc" } },
          prompt: { select: { id: true, name: true, slug: true, headVersion: true } },
        },
      },
    },
  });
  const candidates = rows.filter((r) => r.version.labels.length || r.version.number === r.version.prompt.headVersion);
  if (!candidates.length) return [];
  const ids = candidates.map((r) => r.version.id);
  const [sections, pins] = await Promise.all([
    db.section.findMany({
      where: { versionId: { in: ids }, enabled: true },
      select: { versionId: true, template: true },
    }),
    db.versionSnippetPin.findMany({
      where: { versionId: { in: ids } },
      select: {
        versionId: true,
        name: true,
        snippetId: true,
        snippetVersionId: true,
        snippetNumber: true,
        template: true,
      },
    }),
  ]);
  const group = <T extends { versionId: string }>(list: T[]) => {
    const m = new Map<string, T[]>();
    for (const x of list) m.set(x.versionId, [...(m.get(x.versionId) ?? []), x]);
    return m;
  };
  const sectionsOf = group(sections);
  const pinsOf = group(pins);
  const out: SnippetDependent[] = [];
  for (const r of candidates) {
    const used = includedThroughPins(
      (sectionsOf.get(r.version.id) ?? []).map((s) => s.template),
      pinsOf.get(r.version.id) ?? [],
    );
    if (!used.has(r.name)) continue;
    out.push({
      promptId: r.version.prompt.id,
      promptName: r.version.prompt.name,
      slug: r.version.prompt.slug,
      versionId: r.version.id,
      version: r.version.number,
      isHead: r.version.number === r.version.prompt.headVersion,
      labels: r.version.labels.map((l) => l.name),
      pinnedNumber: r.snippetNumber,
    });
  }
  return out.sort((a, b) => a.promptName.localeCompare(b.promptName) || b.version - a.version);
}

/** "“Support reply” v3 (production, staging)" — how a dependent is named in a message. */
export function describeDependent(d: SnippetDependent): string {
  return `"${d.promptName}" v${d.version}${d.labels.length ? ` (${d.labels.join(", ")})` : ""}`;
}

/** Refuses to trash a snippet that a labelled version pins, naming those versions. */
export async function assertNoLabelledDependents(db: Db, snippet: { id: string; name: string }) {
  const labelled = (await snippetDependents(db, snippet.id)).filter((d) => d.labels.length);
  if (!labelled.length) return;
  throw new ConflictError(
    "snippet",
    `"${snippet.name}" cannot go to the trash: labelled versions render it — ${labelled.map(describeDependent).join("; ")}. ` +
      "Move those labels to versions that do not include it first.",
    "name",
  );
}
