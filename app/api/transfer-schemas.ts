/**
 * Query parameters and answers of the bundle export/import endpoints and the Markdown export
 * (decision 121). Pure: the routes validate with these and ./openapi.ts documents them.
 */
import { z } from "zod";
import { folderPathSchema } from "~/prompt/draft";
import { parseInput } from "~/prompt/zod-issues";
import { promptSelectorSchema, refuseUnknownParameters } from "./schemas";

/** GET /api/v1/export query: which prompts (none = the whole library). */
export const exportQuerySchema = z
  .object({
    prompt: z
      .array(z.string().min(1).max(200))
      .max(500, "at most 500 prompts; export a folder or the whole library instead")
      .default([])
      .describe("A prompt's slug; repeat for several (`?prompt=a&prompt=b`)."),
    folder: folderPathSchema.default("").describe("The prompts of this folder and its subfolders."),
    trash: z
      .enum(["include", "exclude"])
      .default("exclude")
      .describe("`include` exports trashed prompts and snippets too (with their `deletedAt`)."),
  })
  .refine((q) => !(q.prompt.length && q.folder), { message: "give prompt or folder, not both", path: ["folder"] });

export function parseExportQuery(params: URLSearchParams) {
  const keys = ["prompt", "folder", "trash"] as const;
  refuseUnknownParameters(params, keys);
  const raw: Record<string, unknown> = { prompt: params.getAll("prompt") };
  for (const k of ["folder", "trash"] as const) {
    const v = params.get(k);
    if (v !== null && v !== "") raw[k] = v;
  }
  return parseInput(exportQuerySchema, raw, { malformed: true });
}

export const CLASH_POLICY_VALUES = ["skip", "new-version", "rename"] as const;

/** POST /api/v1/import (and /import/langfuse) query. */
export const importQuerySchema = z.object({
  policy: z
    .enum(CLASH_POLICY_VALUES)
    .default("skip")
    .describe(
      "What to do when a prompt's slug, a prompt's name in its folder, or a snippet's name is taken: `skip` it, add the bundle's newest version as a `new-version`, or `rename` (prompts only).",
    ),
  dryRun: z
    .enum(["true", "false"])
    .default("false")
    .transform((v) => v === "true")
    .describe("`true`: answer what the import would do, write nothing."),
});

export function parseImportQuery(params: URLSearchParams) {
  const keys = ["policy", "dryRun"] as const;
  refuseUnknownParameters(params, keys);
  const raw: Record<string, string> = {};
  for (const k of keys) {
    const v = params.get(k);
    if (v !== null && v !== "") raw[k] = v;
  }
  return parseInput(importQuerySchema, raw, { malformed: true });
}

/** The answer of an import (or a dry run). */
export const importReportSchema = z.object({
  policy: z.enum(CLASH_POLICY_VALUES),
  dryRun: z.boolean(),
  created: z.object({
    prompts: z.array(z.string()).describe("Slugs of the prompts created."),
    snippets: z.array(z.string()),
    folders: z.array(z.string()),
    tags: z.array(z.string()),
  }),
  newVersions: z
    .array(z.object({ kind: z.enum(["prompt", "snippet"]), name: z.string(), version: z.number().int() }))
    .describe("Existing prompts and snippets that got the bundle's newest version (policy new-version)."),
  renamed: z
    .array(z.object({ from: z.string(), to: z.string(), name: z.string() }))
    .describe("Prompts created under another slug or name (policy rename)."),
  skipped: z.array(z.object({ kind: z.enum(["prompt", "snippet"]), name: z.string(), reason: z.string() })),
  labelsNotMoved: z
    .array(z.object({ prompt: z.string(), label: z.string(), version: z.number().int() }))
    .optional()
    .describe(
      "Zip imports: labels the zip's manifest records (version numbers of the library it came from). An import moves no label: move them on the prompt's page or with PUT /api/v1/prompts/{slug}/labels/{name}.",
    ),
});

/** GET /api/v1/prompts/{slug}/export.md query: which version. */
export const markdownQuerySchema = promptSelectorSchema;

export function parseMarkdownQuery(params: URLSearchParams) {
  refuseUnknownParameters(params, ["label", "version"]);
  const raw: Record<string, string> = {};
  for (const k of ["label", "version"]) {
    const v = params.get(k);
    if (v !== null) raw[k] = v;
  }
  return parseInput(markdownQuerySchema, raw, { malformed: true });
}
