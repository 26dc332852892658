/**
 * The bundle: a prompt, a selection or the whole library as one JSON document, versioned by
 * `formatVersion` (docs/bundle-format.md, decision 121). This zod schema is the single definition:
 * the importer validates with it, the exporter's output is checked against it in tests, and the
 * JSON Schema served at /api/v1/schemas/bundle.json is generated from it. Pure: no server code.
 *
 * A bundle holds content, never ids: prompts by slug, snippets by name, versions by number, people
 * by e-mail (as text). Every list is in a fixed order, so the same library always exports to the
 * same bytes (the round trip test compares them).
 */
import { z } from "zod";
import {
  folderPathSchema,
  LIMITS,
  modelSettingsSchema,
  promptDraftSchema,
  sectionSchema,
  variableSchema,
} from "~/prompt/draft";
import { tagNameSchema } from "~/prompt/tags";
import { testValueSetsSchema } from "~/prompt/test-values";
import { analyzeTemplate } from "~/prompt/template-ast";
import type { Issue } from "~/prompt/problem";

export const BUNDLE_FORMAT_VERSION = 1;

/** How far a bundle may nest (objects and arrays): the deepest real bundle is 8; past this it is hostile. */
export const MAX_BUNDLE_DEPTH = 32;

/** Count limits of one bundle (the byte limit is IMPORT_MAX_BYTES, checked before parsing). */
export const BUNDLE_LIMITS = {
  prompts: 5000,
  versionsPerPrompt: 5000,
  snippets: 2000,
  folders: 5000,
  tags: 5000,
  labelsPerPrompt: 50,
  eventsPerLabel: 2000,
  pinsPerVersion: 200,
} as const;

const timestamp = z.iso.datetime({ offset: true }).describe("ISO 8601 date and time (UTC).");
/** A person as text: the e-mail of the account at export time; null when nobody (single-user mode) or unknown. */
const person = z.string().max(320).nullable();
const message = z.string().max(LIMITS.messageLength);

/** Same rule as app/models/snippets.server.ts (partial names in templates: {{> name}}). */
export const bundleSnippetNameSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z_][A-Za-z0-9_-]*$/, "must start with a letter or _ and use only letters, digits, - and _");

export const bundleSlugSchema = z
  .string()
  .min(1)
  .max(80)
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, "must be lower-case letters and digits separated by single hyphens");

const labelNameSchema = z
  .string()
  .min(1)
  .max(40)
  .regex(/^[a-z0-9][a-z0-9_-]*$/, "must be lower-case letters, digits, - and _");

export const bundlePinSchema = z
  .object({
    name: bundleSnippetNameSchema.describe("The partial name as the templates include it ({{> name}})."),
    snippet: bundleSnippetNameSchema
      .nullable()
      .describe("The snippet the pin came from, by its name at export time; null when it was deleted for good."),
    snippetVersion: z.number().int().min(1).describe("The snippet version number pinned."),
    template: z.string().max(LIMITS.sectionTemplateChars).describe("The pinned template text (renders use it)."),
  })
  .strict();

export const bundleVersionSchema = z
  .object({
    number: z.number().int().min(1),
    message,
    author: person,
    createdAt: timestamp,
    sections: z.array(sectionSchema).max(LIMITS.sections),
    variables: z.array(variableSchema).max(LIMITS.variables),
    modelSettings: modelSettingsSchema,
    pins: z.array(bundlePinSchema).max(BUNDLE_LIMITS.pinsPerVersion),
  })
  .strict();
export type BundleVersion = z.infer<typeof bundleVersionSchema>;

export const bundleLabelEventSchema = z
  .object({
    from: z.number().int().min(1).nullable().describe("The version the label left; null when it was created."),
    to: z.number().int().min(1),
    actor: person,
    at: timestamp,
  })
  .strict();

export const bundleLabelSchema = z
  .object({
    name: labelNameSchema,
    version: z.number().int().min(1).describe("The version number the label points at."),
    protected: z.boolean(),
    updatedAt: timestamp,
    events: z.array(bundleLabelEventSchema).max(BUNDLE_LIMITS.eventsPerLabel).describe("Oldest first."),
  })
  .strict();

export const bundlePromptSchema = z
  .object({
    slug: bundleSlugSchema,
    name: z.string().trim().min(1).max(LIMITS.nameLength),
    description: z.string().max(LIMITS.descriptionLength),
    folder: folderPathSchema.describe('The folder path ("" for the top level).'),
    tags: z.array(tagNameSchema).max(20),
    favorite: z.boolean(),
    visibility: z.enum(["shared", "private"]),
    owner: person,
    headVersion: z.number().int().min(1),
    createdAt: timestamp,
    updatedAt: timestamp,
    deletedAt: timestamp.nullable().describe("When it went to the trash; null while live."),
    testValues: testValueSetsSchema.describe("Saved test value sets (name → variable → raw value)."),
    versions: z.array(bundleVersionSchema).min(1).max(BUNDLE_LIMITS.versionsPerPrompt).describe("Oldest first."),
    labels: z.array(bundleLabelSchema).max(BUNDLE_LIMITS.labelsPerPrompt),
  })
  .strict();
export type BundlePrompt = z.infer<typeof bundlePromptSchema>;

export const bundleSnippetVersionSchema = z
  .object({
    number: z.number().int().min(1),
    template: z.string().max(LIMITS.sectionTemplateChars),
    message,
    author: person,
    createdAt: timestamp,
  })
  .strict();

export const bundleSnippetSchema = z
  .object({
    name: bundleSnippetNameSchema,
    description: z.string().max(LIMITS.descriptionLength),
    headVersion: z.number().int().min(1),
    createdAt: timestamp,
    updatedAt: timestamp,
    deletedAt: timestamp.nullable(),
    versions: z.array(bundleSnippetVersionSchema).min(1).max(BUNDLE_LIMITS.versionsPerPrompt),
  })
  .strict();
export type BundleSnippet = z.infer<typeof bundleSnippetSchema>;

export const bundleSchema = z
  .object({
    formatVersion: z
      .literal(BUNDLE_FORMAT_VERSION)
      .describe("Which bundle format this is; an importer refuses others."),
    folders: z
      .array(z.object({ path: folderPathSchema.refine((p) => p !== ""), createdAt: timestamp }).strict())
      .max(BUNDLE_LIMITS.folders),
    tags: z.array(z.object({ name: tagNameSchema, createdAt: timestamp }).strict()).max(BUNDLE_LIMITS.tags),
    snippets: z.array(bundleSnippetSchema).max(BUNDLE_LIMITS.snippets),
    prompts: z.array(bundlePromptSchema).max(BUNDLE_LIMITS.prompts),
  })
  .strict()
  .describe("A Prompt Builder bundle (docs/bundle-format.md).");
export type Bundle = z.infer<typeof bundleSchema>;

/** The JSON Schema (draft 2020-12) of a bundle, as an importer reads it. */
export function bundleJsonSchema(): Record<string, unknown> {
  return {
    ...(z.toJSONSchema(bundleSchema, { io: "input", unrepresentable: "any" }) as Record<string, unknown>),
    $id: "/api/v1/schemas/bundle.json",
    title: "Prompt Builder bundle, format version 1",
  };
}

/** The bytes of a bundle: the one serialisation (two-space JSON and a final newline). */
/**
 * The folder rows (every folder and its parents) and tag rows that a set of prompts needs, sorted,
 * each created at `createdAt`: what an importer that builds a bundle from other files writes.
 */
export function folderAndTagRows(
  prompts: ReadonlyArray<{ folder: string; tags: readonly string[] }>,
  createdAt: string,
): { folders: Array<{ path: string; createdAt: string }>; tags: Array<{ name: string; createdAt: string }> } {
  const paths = new Set(
    prompts.flatMap((p) => (p.folder ? p.folder.split("/").map((_, i, a) => a.slice(0, i + 1).join("/")) : [])),
  );
  return {
    folders: [...paths].sort().map((path) => ({ path, createdAt })),
    tags: [...new Set(prompts.flatMap((p) => p.tags))].sort().map((name) => ({ name, createdAt })),
  };
}

export function serializeBundle(bundle: Bundle): string {
  return `${JSON.stringify(bundle, null, 2)}\n`;
}

/** How deep a parsed JSON value nests, stopping as soon as it passes `limit`. Iterative: no stack to overflow. */
export function jsonDepthExceeds(value: unknown, limit: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== "object") continue;
    if (depth > limit) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v)) stack.push([child, depth + 1]);
  }
  return false;
}

export type BundleParse =
  { ok: true; bundle: Bundle } | { ok: false; status: 400 | 422; error: string; issues: Issue[] };

/** A parsed JSON value → a bundle, or every problem with its path (nothing else looks at it first). */
export function parseBundle(value: unknown): BundleParse {
  if (jsonDepthExceeds(value, MAX_BUNDLE_DEPTH))
    return {
      ok: false,
      status: 400,
      error: "The bundle nests too deeply.",
      issues: [{ path: [], message: `nests deeper than ${MAX_BUNDLE_DEPTH} levels` }],
    };
  const version = (value as { formatVersion?: unknown } | null)?.formatVersion;
  if (typeof value === "object" && value !== null && version !== BUNDLE_FORMAT_VERSION)
    return {
      ok: false,
      status: 422,
      error:
        version === undefined
          ? "This is not a bundle: it has no formatVersion."
          : `Unknown bundle formatVersion ${JSON.stringify(version)}: this instance reads format ${BUNDLE_FORMAT_VERSION}.`,
      issues: [{ path: ["formatVersion"], message: `must be ${BUNDLE_FORMAT_VERSION}` }],
    };
  const parsed = bundleSchema.safeParse(value);
  if (!parsed.success)
    return {
      ok: false,
      status: 422,
      error: "The bundle does not fit the bundle format.",
      issues: parsed.error.issues.slice(0, 200).map((i) => ({
        path: i.path.map((p) => (typeof p === "symbol" ? String(p) : p)),
        message: i.message,
      })),
    };
  const issues = bundleConsistency(parsed.data);
  if (issues.length) return { ok: false, status: 422, error: "The bundle is not consistent.", issues };
  return { ok: true, bundle: parsed.data };
}

/** Snippet names a template includes ({{> name}}); [] when it does not parse. */
export function includesOf(template: string): string[] {
  const analysis = analyzeTemplate(template);
  return [...new Set(analysis.partials.map((p) => p.name))];
}

/** A cycle through `start` in an include graph (["a", "b", "a"]), or null. */
export function cycleThrough(graph: ReadonlyMap<string, readonly string[]>, start: string): string[] | null {
  const seen = new Set<string>();
  const stack: Array<{ node: string; path: string[] }> = [{ node: start, path: [start] }];
  while (stack.length) {
    const { node, path } = stack.pop()!;
    for (const next of graph.get(node) ?? []) {
      if (next === start) return [...path, next];
      if (seen.has(next)) continue;
      seen.add(next);
      stack.push({ node: next, path: [...path, next] });
    }
  }
  return null;
}

function duplicates<T>(items: readonly T[], key: (t: T) => string, path: (i: number) => Issue["path"], what: string) {
  const seen = new Set<string>();
  const issues: Issue[] = [];
  items.forEach((item, i) => {
    const k = key(item);
    if (seen.has(k)) issues.push({ path: path(i), message: `${what} "${k}" appears twice` });
    seen.add(k);
  });
  return issues;
}

/**
 * What the schema alone cannot say: unique names and numbers, heads and labels pointing at versions
 * the bundle holds, versions that parse as drafts, and snippets that do not include themselves.
 */
export function bundleConsistency(bundle: Bundle): Issue[] {
  const issues: Issue[] = [];
  issues.push(
    ...duplicates(
      bundle.prompts,
      (p) => p.slug,
      (i) => ["prompts", i, "slug"],
      "The slug",
    ),
  );
  issues.push(
    ...duplicates(
      bundle.snippets,
      (s) => s.name,
      (i) => ["snippets", i, "name"],
      "The snippet",
    ),
  );
  issues.push(
    ...duplicates(
      bundle.folders,
      (f) => f.path,
      (i) => ["folders", i, "path"],
      "The folder",
    ),
  );
  issues.push(
    ...duplicates(
      bundle.tags,
      (t) => t.name,
      (i) => ["tags", i, "name"],
      "The tag",
    ),
  );
  bundle.prompts.forEach((p, i) => {
    const at = (...rest: Issue["path"]) => ["prompts", i, ...rest];
    issues.push(
      ...duplicates(
        p.versions,
        (v) => String(v.number),
        (j) => at("versions", j, "number"),
        "Version",
      ),
    );
    issues.push(
      ...duplicates(
        p.labels,
        (l) => l.name,
        (j) => at("labels", j, "name"),
        "The label",
      ),
    );
    const numbers = new Set(p.versions.map((v) => v.number));
    if (!numbers.has(p.headVersion))
      issues.push({ path: at("headVersion"), message: "names no version of the prompt" });
    if (Math.max(...p.versions.map((v) => v.number)) !== p.headVersion)
      issues.push({ path: at("headVersion"), message: "must be the highest version number" });
    p.versions.forEach((v, j) => {
      const draft = promptDraftSchema.safeParse({
        sections: v.sections,
        variables: v.variables,
        modelSettings: v.modelSettings,
      });
      if (!draft.success)
        for (const issue of draft.error.issues)
          issues.push({ path: at("versions", j, ...issue.path.map(String)), message: issue.message });
      issues.push(
        ...duplicates(
          v.pins,
          (pin) => pin.name,
          (k) => at("versions", j, "pins", k, "name"),
          "The pin",
        ),
      );
    });
    p.labels.forEach((l, j) => {
      if (!numbers.has(l.version))
        issues.push({
          path: at("labels", j, "version"),
          message: `names version ${l.version}, which the bundle does not hold`,
        });
      l.events.forEach((e, k) => {
        for (const n of [e.from, e.to])
          if (n !== null && !numbers.has(n))
            issues.push({
              path: at("labels", j, "events", k),
              message: `names version ${n}, which the bundle does not hold`,
            });
      });
    });
  });
  const heads = new Map<string, readonly string[]>();
  bundle.snippets.forEach((s, i) => {
    issues.push(
      ...duplicates(
        s.versions,
        (v) => String(v.number),
        (j) => ["snippets", i, "versions", j, "number"],
        "Version",
      ),
    );
    const head = s.versions.find((v) => v.number === s.headVersion);
    if (!head) issues.push({ path: ["snippets", i, "headVersion"], message: "names no version of the snippet" });
    else if (!s.deletedAt) heads.set(s.name, includesOf(head.template));
  });
  bundle.snippets.forEach((s, i) => {
    const cycle = heads.has(s.name) ? cycleThrough(heads, s.name) : null;
    if (cycle)
      issues.push({
        path: ["snippets", i, "versions"],
        message: `includes itself through ${cycle.map((n) => `{{> ${n}}}`).join(" → ")}`,
      });
  });
  return issues;
}

/** Snippet (name, version number) pairs that a bundle's pins name but it does not hold. */
export function pinsOutside(bundle: Bundle): Array<{ path: Issue["path"]; snippet: string; version: number }> {
  const held = new Set(bundle.snippets.flatMap((s) => s.versions.map((v) => `${s.name}@${v.number}`)));
  const out: Array<{ path: Issue["path"]; snippet: string; version: number }> = [];
  bundle.prompts.forEach((p, i) =>
    p.versions.forEach((v, j) =>
      v.pins.forEach((pin, k) => {
        if (pin.snippet !== null && !held.has(`${pin.snippet}@${pin.snippetVersion}`))
          out.push({
            path: ["prompts", i, "versions", j, "pins", k],
            snippet: pin.snippet,
            version: pin.snippetVersion,
          });
      }),
    ),
  );
  return out;
}
