/**
 * Pinned snippets: a saved prompt version records the exact snippet version every {{> name}}
 * resolved to, transitively, with its text. Rendering a saved version uses its pins, never the
 * newest snippet; only the builder's draft resolves to the newest (a save pins them).
 * docs/decisions/090-pinned-snippets.md
 */
import type { Db, Prisma } from "~/server/db.server";
import { analyzeTemplate } from "~/prompt/template-ast";

type Reader = Pick<Db, "snippet" | "snippetVersion">;

/** One pin: the name as templates include it, the snippet version it resolved to, its text. */
export type SnippetPin = {
  name: string;
  snippetId: string | null;
  snippetVersionId: string | null;
  snippetNumber: number;
  template: string;
};

/** The newest version of every live snippet, by name. */
export async function currentSnippets(db: Reader): Promise<Map<string, SnippetPin>> {
  const snippets = await db.snippet.findMany({
    where: { deletedAt: null },
    select: { id: true, name: true, headVersion: true },
  });
  if (!snippets.length) return new Map();
  const versions = await db.snippetVersion.findMany({
    where: { OR: snippets.map((s) => ({ snippetId: s.id, number: s.headVersion })) },
    select: { id: true, snippetId: true, number: true, template: true },
  });
  const byId = new Map(versions.map((v) => [v.snippetId, v]));
  const out = new Map<string, SnippetPin>();
  for (const s of snippets) {
    const v = byId.get(s.id);
    if (v)
      out.set(s.name, {
        name: s.name,
        snippetId: s.id,
        snippetVersionId: v.id,
        snippetNumber: v.number,
        template: v.template,
      });
  }
  return out;
}

/**
 * The pins for templates that include `includes`: each name resolved in `available`, then the
 * snippets those include, and so on. A name with no snippet gets no pin (the render reports it).
 */
export function resolvePins(includes: readonly string[], available: ReadonlyMap<string, SnippetPin>): SnippetPin[] {
  const pins = new Map<string, SnippetPin>();
  const queue = [...includes];
  while (queue.length) {
    const name = queue.shift()!;
    if (pins.has(name)) continue;
    const pin = available.get(name);
    if (!pin) continue;
    pins.set(name, pin);
    for (const p of analyzeTemplate(pin.template).partials) if (!pins.has(p.name)) queue.push(p.name);
  }
  return [...pins.values()].sort((a, b) => a.name.localeCompare(b.name));
}

/** Partials for the renderer from a version's pins. */
export function partialsOf(pins: readonly Pick<SnippetPin, "name" | "template">[]): Record<string, string> {
  return Object.fromEntries(pins.map((p) => [p.name, p.template]));
}

/** Writes the pins of a new version (inside the save's transaction). */
export async function writePins(tx: Prisma.TransactionClient, versionId: string, pins: readonly SnippetPin[]) {
  if (!pins.length) return;
  await tx.versionSnippetPin.createMany({ data: pins.map((p) => ({ versionId, ...p })) });
}

export const pinSelect = {
  name: true,
  snippetId: true,
  snippetVersionId: true,
  snippetNumber: true,
  template: true,
} as const;

/** The pins of one version, by name. */
export async function versionPins(db: Pick<Db, "versionSnippetPin">, versionId: string): Promise<SnippetPin[]> {
  return db.versionSnippetPin.findMany({ where: { versionId }, select: pinSelect, orderBy: { name: "asc" } });
}

/**
 * Names that no live snippet has but that saved versions pinned to a snippet since renamed: old
 * name → the snippet's name now. Lets a save that still writes `{{> oldname}}` say what to write
 * (decision 090: a rename changes no saved version; new drafts use the new name).
 */
export async function renamedSnippets(
  db: Pick<Db, "versionSnippetPin" | "snippet">,
  names: readonly string[],
): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (!names.length) return out;
  const pins = await db.versionSnippetPin.findMany({
    where: { name: { in: [...names] }, snippetId: { not: null } },
    select: { name: true, snippetId: true },
    distinct: ["name", "snippetId"],
  });
  if (!pins.length) return out;
  const snippets = await db.snippet.findMany({
    where: { id: { in: pins.map((p) => p.snippetId!) }, deletedAt: null },
    select: { id: true, name: true },
  });
  const nameOf = new Map(snippets.map((s) => [s.id, s.name]));
  for (const p of pins) {
    const now = nameOf.get(p.snippetId!);
    if (now && now !== p.name && !out.has(p.name)) out.set(p.name, now);
  }
  return out;
}
