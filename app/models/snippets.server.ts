/**
 * Snippets: reusable sections with their own versions, included in prompts with {{> name}}. A
 * snippet may include others but never itself, directly or through others. "Used by" lists the
 * prompts whose newest version includes it, directly or through another snippet.
 */
import type { VisibleTo } from "./library.server";
import { promptVisibleWhere } from "./visibility.server";
import { recordAudit, type Actor } from "./audit.server";
import { z } from "zod";
import type { Db } from "~/server/db.server";
import { LIMITS } from "~/prompt/draft";
import { analyzeTemplate } from "~/prompt/template-ast";
import { ConflictError, InvalidError, NotFoundError, VersionConflictError } from "~/prompt/errors";
import { parseInput } from "~/prompt/zod-issues";
import { snippetDependents } from "./snippet-dependents.server";
import { currentSnippets } from "./snippet-pins.server";

export const snippetNameSchema = z
  .string()
  .trim()
  .min(1, "is required")
  .max(64, "must be at most 64 characters")
  .regex(/^[A-Za-z_][A-Za-z0-9_-]*$/, "must start with a letter or _ and use only letters, digits, - and _");

export const snippetInputSchema = z.object({
  name: snippetNameSchema,
  description: z
    .string()
    .trim()
    .max(LIMITS.descriptionLength, `must be at most ${LIMITS.descriptionLength} characters`)
    .default(""),
  template: z
    .string()
    .max(LIMITS.sectionTemplateChars, `must be at most ${LIMITS.sectionTemplateChars.toLocaleString("en")} characters`),
  message: z
    .string()
    .trim()
    .max(LIMITS.messageLength, `must be at most ${LIMITS.messageLength} characters`)
    .default(""),
});

const SNIPPET_LABELS = { name: "Name", description: "Description", template: "Template", message: "Message" };

/** Snippet names a template includes. Throws an InvalidError when the template does not parse. */
export function includedNames(template: string): string[] {
  const analysis = analyzeTemplate(template);
  if (analysis.errors.length) {
    const e = analysis.errors[0]!;
    throw InvalidError.field("template", `The template has a syntax error on line ${e.line}: ${e.message}`);
  }
  return [...new Set(analysis.partials.map((p) => p.name))];
}

/** Live snippets' head templates by name. */
async function headTemplates(db: Pick<Db, "snippet" | "snippetVersion">): Promise<Map<string, string>> {
  return new Map([...(await currentSnippets(db))].map(([name, pin]) => [name, pin.template]));
}

function graphOf(templates: Map<string, string>): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const [name, template] of templates) {
    const analysis = analyzeTemplate(template);
    graph.set(name, [...new Set(analysis.partials.map((p) => p.name))]);
  }
  return graph;
}

/** The include path from `name` back to itself, e.g. ["a", "b", "a"], or null. */
export function findCycle(graph: ReadonlyMap<string, readonly string[]>, name: string): string[] | null {
  const seen = new Set<string>();
  const walk = (node: string, path: string[]): string[] | null => {
    for (const next of graph.get(node) ?? []) {
      if (next === name) return [...path, next];
      if (seen.has(next)) continue;
      seen.add(next);
      const found = walk(next, [...path, next]);
      if (found) return found;
    }
    return null;
  };
  return walk(name, [name]);
}

async function assertNoCycle(db: Pick<Db, "snippet" | "snippetVersion">, name: string, template: string) {
  const includes = includedNames(template);
  if (includes.includes(name))
    throw InvalidError.field("template", `A snippet cannot include itself: "${name}" uses {{> ${name}}}.`);
  const templates = await headTemplates(db);
  templates.set(name, template);
  const cycle = findCycle(graphOf(templates), name);
  if (cycle) {
    throw InvalidError.field(
      "template",
      `A snippet cannot include itself through others: ${cycle.map((n) => `"${n}"`).join(" → ")}.`,
    );
  }
}

export async function createSnippet(db: Db, input: unknown, actor: Actor | null = null) {
  const authorId = actor?.id ?? null;
  const { name, description, template, message } = parseInput(snippetInputSchema, input, { labels: SNIPPET_LABELS });
  return db.$transaction(async (tx) => {
    const existing = await tx.snippet.findUnique({ where: { name }, select: { deletedAt: true } });
    if (existing) {
      throw new ConflictError(
        "snippet",
        existing.deletedAt
          ? `A snippet named "${name}" is in the trash: restore it or delete it for good first.`
          : `A snippet named "${name}" already exists.`,
        "name",
      );
    }
    await assertNoCycle(tx, name, template);
    const snippet = await tx.snippet.create({ data: { name, description, headVersion: 1 } });
    await tx.snippetVersion.create({
      data: { snippetId: snippet.id, number: 1, template, message: message || "Created", authorId },
    });
    await recordAudit(tx, actor, { action: "snippet.create", target: { type: "snippet", id: snippet.id, name } });
    return snippet;
  });
}

/** Saves a new version of a snippet on top of `baseVersion` (refused when someone saved in between). */
export async function saveSnippet(
  db: Db,
  args: { name: string; baseVersion: number; input: unknown; authorId?: string | null; actor?: Actor | null },
) {
  const { description, template, message } = parseInput(snippetInputSchema, args.input, { labels: SNIPPET_LABELS });
  return db.$transaction(async (tx) => {
    const snippet = await tx.snippet.findFirst({
      where: { name: args.name, deletedAt: null },
      select: { id: true, headVersion: true },
    });
    if (!snippet) throw NotFoundError.snippet(args.name);
    await assertNoCycle(tx, args.name, template);
    const next = args.baseVersion + 1;
    const advanced = await tx.snippet.updateMany({
      where: { id: snippet.id, headVersion: args.baseVersion },
      data: { headVersion: next, description },
    });
    if (advanced.count !== 1)
      throw new VersionConflictError("snippet", snippet.id, args.baseVersion, snippet.headVersion);
    const version = await tx.snippetVersion.create({
      data: {
        snippetId: snippet.id,
        number: next,
        template,
        message,
        authorId: args.authorId ?? args.actor?.id ?? null,
      },
    });
    await recordAudit(tx, args.actor ?? null, {
      action: "snippet.save",
      target: { type: "snippet", id: snippet.id, name: args.name },
      details: { version: next },
    });
    return version;
  });
}

export async function listSnippets(db: Db) {
  const snippets = await db.snippet.findMany({
    where: { deletedAt: null },
    orderBy: { name: "asc" },
    select: { id: true, name: true, description: true, headVersion: true, updatedAt: true },
  });
  const counts = await db.promptSnippetUse.groupBy({
    by: ["snippetName"],
    where: { snippetName: { in: snippets.map((s) => s.name) }, prompt: { deletedAt: null } },
    _count: { _all: true },
  });
  const countOf = new Map(counts.map((c) => [c.snippetName, c._count._all]));
  return snippets.map((s) => ({ ...s, updatedAt: s.updatedAt.toISOString(), directUses: countOf.get(s.name) ?? 0 }));
}

/** A snippet with its versions, what it includes, and every prompt that uses it. */
export async function getSnippet(db: Db, name: string, options: { version?: number; visibleTo?: VisibleTo } = {}) {
  const snippet = await db.snippet.findFirst({ where: { name, deletedAt: null } });
  if (!snippet) return null;
  const versions = await db.snippetVersion.findMany({
    where: { snippetId: snippet.id },
    orderBy: { number: "desc" },
    take: 100,
    select: { number: true, message: true, createdAt: true, template: true, author: { select: { name: true } } },
  });
  const shown = versions.find((v) => v.number === (options.version ?? snippet.headVersion)) ?? versions[0]!;
  const templates = await headTemplates(db);
  const graph = graphOf(templates);
  // Snippets that include this one, directly or through others.
  const via = new Set<string>([name]);
  for (let grew = true; grew;) {
    grew = false;
    for (const [other, includes] of graph) {
      if (!via.has(other) && includes.some((i) => via.has(i))) {
        via.add(other);
        grew = true;
      }
    }
  }
  const uses = await db.promptSnippetUse.findMany({
    // Other users' private prompts are not listed (nor counted) for a reader who may not see them.
    where: {
      snippetName: { in: [...via] },
      prompt: { deletedAt: null, ...promptVisibleWhere(options.visibleTo ?? null) },
    },
    select: {
      snippetName: true,
      prompt: { select: { id: true, name: true, slug: true, headVersion: true, folder: { select: { path: true } } } },
    },
    take: 1000,
  });
  const usedBy = new Map<
    string,
    { name: string; slug: string; headVersion: number; folder: string; through: string[] }
  >();
  for (const u of uses) {
    const entry = usedBy.get(u.prompt.id) ?? {
      name: u.prompt.name,
      slug: u.prompt.slug,
      headVersion: u.prompt.headVersion,
      folder: u.prompt.folder?.path ?? "",
      through: [],
    };
    if (u.snippetName !== name) entry.through.push(u.snippetName);
    usedBy.set(u.prompt.id, entry);
  }
  const dependents = await snippetDependents(db, snippet.id, options.visibleTo ?? null);
  return {
    dependents,
    // Labelled versions still on an older version of this snippet: what "Update dependents" is for.
    lagging: dependents.filter((d) => d.labels.length && d.pinnedNumber < snippet.headVersion),
    updatable: dependents.filter((d) => d.isHead && d.pinnedNumber < snippet.headVersion).length,
    snippet: {
      id: snippet.id,
      name: snippet.name,
      description: snippet.description,
      headVersion: snippet.headVersion,
      updatedAt: snippet.updatedAt.toISOString(),
    },
    versions: versions.map((v) => ({
      number: v.number,
      message: v.message,
      createdAt: v.createdAt.toISOString(),
      author: v.author?.name ?? null,
    })),
    shown: { number: shown.number, template: shown.template },
    includes: graph.get(name) ?? [],
    includedBy: [...via].filter((n) => n !== name && (graph.get(n) ?? []).includes(name)),
    usedBy: [...usedBy.values()].sort((a, b) => a.name.localeCompare(b.name)),
  };
}

/**
 * Renames a snippet. Saved versions keep rendering what they pinned under the old name; new saves
 * and drafts must include it by the new name.
 */
export async function renameSnippet(db: Db, args: { name: string; newName: string; actor?: Actor | null }) {
  const newName = parseInput(snippetNameSchema, args.newName, { path: ["newName"], labels: { newName: "New name" } });
  return db.$transaction(async (tx) => {
    const snippet = await tx.snippet.findFirst({ where: { name: args.name, deletedAt: null }, select: { id: true } });
    if (!snippet) throw NotFoundError.snippet(args.name);
    if (newName === args.name) return { name: newName };
    const clash = await tx.snippet.findUnique({ where: { name: newName }, select: { id: true } });
    if (clash) throw new ConflictError("snippet", `A snippet named "${newName}" already exists.`, "newName");
    await tx.snippet.update({ where: { id: snippet.id }, data: { name: newName } });
    await recordAudit(tx, args.actor ?? null, {
      action: "snippet.rename",
      target: { type: "snippet", id: snippet.id, name: newName },
      details: { from: args.name },
    });
    return { name: newName };
  });
}
