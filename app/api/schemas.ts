/**
 * Every shape that crosses the JSON API boundary, as zod schemas: query parameters and bodies the
 * routes validate with, responses the models are typed by, and the problem body of a 4xx. The
 * OpenAPI document (./openapi.ts) is generated from these same objects, so it cannot drift from
 * the code. Pure: no server imports.
 */
import { z } from "zod";
import { SORTS } from "~/library/constants";
import {
  folderPathSchema,
  LIMITS,
  modelSettingsSchema,
  promptMetaSchema,
  sectionSchema,
  variableSchema,
  variableValueSchema,
} from "~/prompt/draft";
import { versionNumberSchema, versionTextSchema } from "~/prompt/numbers";
import { issueSchema, problemSchema } from "~/prompt/problem";
import { TARGETS } from "~/prompt/targets";
import { boundedValuesSchema } from "~/prompt/bounded-values-schema";
import { MAX_LIST_ITEMS, MAX_VALUE_CHARS, MAX_VALUES_CHARS } from "~/prompt/template-limits";
import { parseInput } from "~/prompt/zod-issues";
import { InvalidError } from "~/prompt/errors";

/** Where the programs' API lives; `/api/prompts…` of before answer 308 to it (docs/decisions/080). */
export const API_BASE = "/api/v1";

// The draft's parts, as the document names them.
export { modelSettingsSchema, variableSchema };

// --- problems: the one Problem shape of pages and API (~/prompt/problem) -----------------------

export { issueSchema, problemSchema };

// --- requests -------------------------------------------------------------------------------

/** Query parameters of GET /api/v1/prompts and of the library page (one schema for both). */
export const listQuerySchema = z.object({
  q: z
    .string()
    .max(200, "must be at most 200 characters")
    .default("")
    .describe("Full-text search over name, description, tags and the newest version's text."),
  tag: z.string().trim().max(40).default("").describe("Only prompts with this tag."),
  folder: folderPathSchema.default("").describe('Only prompts in this folder or its subfolders, e.g. "support/email".'),
  label: z.string().trim().max(40).default("").describe('Only prompts that have this label, e.g. "production".'),
  favorite: z
    .union([z.boolean(), z.enum(["1", "true", "on", "0", "false", ""])])
    .default(false)
    .transform((v) => v === true || v === "1" || v === "true" || v === "on")
    .describe("Only favourites when 1, true or on."),
  sort: z.enum(SORTS).optional().describe("Order; relevance when searching, otherwise the last change first."),
  cursor: z.string().max(500).optional().describe("`nextCursor` of the previous page, with the same other parameters."),
  limit: z.coerce.number().int().min(1).max(100).default(30).describe("Page size."),
});
export type ListQuery = z.output<typeof listQuerySchema>;

/** GET /api/v1/prompts/{slug} query parameters: which version. */
export const promptSelectorSchema = z
  .object({
    label: z.string().trim().min(1).max(40).optional().describe("The version this label points at, e.g. production."),
    version: versionTextSchema.optional().describe("This version number."),
  })
  .refine((s) => !(s.label && s.version), { message: "give either label or version, not both", path: ["label"] });
export type PromptSelector = z.output<typeof promptSelectorSchema>;

export const slugParamSchema = z
  .string()
  .min(1)
  .max(200)
  .describe("The prompt's slug, as in its address and in `items[].slug` of the list.");

/** GET /api/v1/snippets/{name} query parameters: which version (the newest without). */
export const snippetSelectorSchema = z.object({
  version: z.coerce
    .number()
    .int("must be a whole number")
    .min(1, "must be 1 or more")
    .optional()
    .describe("This version number."),
});

export const snippetNameParamSchema = z
  .string()
  .min(1)
  .max(200)
  .describe("The snippet's name, as templates include it (`{{> name}}`).");

/** POST /api/v1/prompts/{slug}/render body. An empty body means `{}`. */
export const renderRequestSchema = z
  .object({
    variables: boundedValuesSchema
      .default({})
      .describe(
        `Values by variable name; defaults fill the rest. Text at most ${MAX_VALUE_CHARS.toLocaleString("en")} characters (also each list item), lists at most ${MAX_LIST_ITEMS.toLocaleString("en")} items, all values together at most ${MAX_VALUES_CHARS.toLocaleString("en")} characters.`,
      ),
    target: z.enum(TARGETS).default("plain").describe("The output format."),
    label: z.string().trim().min(1).max(40).optional().describe("Render the version this label points at."),
    version: versionNumberSchema.optional().describe("Render this version (default: the newest)."),
    strict: z
      .boolean()
      .default(true)
      .describe(
        "When true (the default), a value for a variable the version does not have is a 422 naming it; false ignores such values.",
      ),
  })
  .strict()
  .refine((s) => !(s.label && s.version), { message: "give either label or version, not both", path: ["label"] });
export type RenderRequest = z.output<typeof renderRequestSchema>;

/** The largest render body the route reads (413 above it). */
export const MAX_RENDER_BODY_BYTES = 1_000_000;

/** PUT /api/v1/prompts/{slug}/labels/{name} body: where the label should point. */
export const labelMoveRequestSchema = z
  .object({
    version: versionNumberSchema.describe("The version the label should point at."),
    comment: z
      .string()
      .max(2000)
      .default("")
      .describe("Why (kept with the change request when the label is protected)."),
  })
  .strict();
export const MAX_LABEL_MOVE_BODY_BYTES = 16_384;

export const labelNameParamSchema = z
  .string()
  .min(1)
  .max(40)
  .describe("The label's name (lower-case letters, digits, - and _), e.g. production.");

/** 202: the label is protected; a change request waits for an admin or approver. */
export const changeRequestCreatedSchema = z.object({
  changeRequest: z.object({
    id: z.string(),
    label: z.string(),
    from: z.number().int().nullable(),
    to: z.number().int(),
    status: z.literal("open"),
    url: z.string().describe("The request's page, where an admin or approver approves or rejects it."),
  }),
});

/**
 * Query parameters as a plain object for a schema: only the schema's keys; with `emptyIsAbsent`,
 * `?tag=` counts as not given (the library's filters), otherwise "" is validated like any value.
 */
export function queryObject(params: URLSearchParams, keys: readonly string[], emptyIsAbsent: boolean) {
  const raw: Record<string, string> = {};
  for (const key of keys) {
    const v = params.get(key);
    if (v === null || (emptyIsAbsent && v === "")) continue;
    raw[key] = v;
  }
  return raw;
}

/**
 * The API refuses a parameter it does not know (a misspelt `?lable=` must not silently serve the
 * head). `takes` opens the sentence that lists the known ones.
 */
export function refuseUnknownParameters(
  params: URLSearchParams,
  keys: readonly string[],
  takes = "this operation takes",
) {
  const unknown = [...new Set(params.keys())].filter((k) => !keys.includes(k));
  if (unknown.length)
    throw new InvalidError(
      `Unknown query parameter ${unknown.map((k) => `"${k}"`).join(", ")}.`,
      unknown.map((k) => ({ path: [k], message: `unknown parameter; ${takes} ${keys.join(", ")}` })),
      { malformed: true },
    );
}

/** The list query of the API, or an InvalidError (400) naming every bad parameter. */
export function parseListQuery(params: URLSearchParams) {
  const keys = listQuerySchema.keyof().options;
  refuseUnknownParameters(params, keys);
  return parseInput(listQuerySchema, queryObject(params, keys, true), { malformed: true });
}

export function parsePromptSelector(params: URLSearchParams) {
  const keys = promptSelectorSchema.keyof().options;
  refuseUnknownParameters(params, keys);
  return parseInput(promptSelectorSchema, queryObject(params, keys, false), { malformed: true });
}

export function parseSnippetSelector(params: URLSearchParams) {
  const keys = snippetSelectorSchema.keyof().options;
  refuseUnknownParameters(params, keys);
  return parseInput(snippetSelectorSchema, queryObject(params, keys, false), { malformed: true });
}

/** The snippets list takes no parameters. */
export function parseNoQuery(params: URLSearchParams) {
  refuseUnknownParameters(params, []);
}

// --- responses ------------------------------------------------------------------------------

const timestamp = z.iso.datetime();
const labelsSchema = z
  .record(z.string(), z.number().int().min(1))
  .describe("Label name → the version number it points at.");

export const promptSummarySchema = z.object({
  slug: z.string(),
  name: z.string(),
  description: z.string(),
  folder: z.string().nullable(),
  tags: z.array(z.string()),
  labels: labelsSchema,
  headVersion: z.number().int().min(1).describe("The newest version number."),
  favorite: z.boolean(),
  updatedAt: timestamp,
  createdAt: timestamp,
  url: z.string().describe("This prompt in the API."),
});

export const promptListSchema = z.object({
  items: z.array(promptSummarySchema),
  nextCursor: z.string().nullable().describe("Pass as `cursor` for the next page; null on the last page."),
  sort: z.enum(SORTS).describe("The order the items are in."),
});
export type PromptList = z.output<typeof promptListSchema>;

/** A section as the API serves it: without the builder's id. */
export const promptSectionSchema = sectionSchema.omit({ id: true });

export const promptVersionSchema = z.object({
  number: z.number().int().min(1),
  message: z.string(),
  author: z.string().nullable(),
  createdAt: timestamp,
  sections: z.array(promptSectionSchema).describe("In order; disabled sections are kept and not rendered."),
  variables: z.array(variableSchema).describe("The typed variables the templates use."),
  modelSettings: modelSettingsSchema,
});

export const promptSchema = z.object({
  slug: z.string(),
  name: z.string(),
  description: z.string(),
  folder: z.string().nullable(),
  tags: z.array(z.string()),
  labels: labelsSchema,
  headVersion: z.number().int().min(1),
  version: promptVersionSchema.describe("The version asked for: the newest, the labelled one or the numbered one."),
});
export type ApiPrompt = z.output<typeof promptSchema>;

const chatMessage = <R extends readonly [string, ...string[]]>(roles: R) =>
  z.object({ role: z.enum(roles), content: z.string() });

const openAIPart = z.union([
  z.object({ type: z.literal("text"), text: z.string() }),
  z.object({ type: z.literal("image_url"), image_url: z.object({ url: z.string() }) }),
]);
const anthropicBlock = z.union([
  z.object({ type: z.literal("text"), text: z.string() }),
  z.object({
    type: z.literal("image"),
    source: z.union([
      z.object({ type: z.literal("url"), url: z.string() }),
      z.object({
        type: z.literal("base64"),
        media_type: z.enum(["image/jpeg", "image/png", "image/gif", "image/webp"]),
        data: z.string(),
      }),
    ]),
  }),
]);

export const openAIChatRequestSchema = z
  .object({
    model: z.string(),
    messages: z.array(
      z.union([
        chatMessage(["system", "developer", "assistant"] as const),
        z.object({
          role: z.literal("user"),
          content: z.union([z.string(), z.array(openAIPart)]).describe("Text, or parts when it has images"),
        }),
      ]),
    ),
    temperature: z.number().optional(),
    top_p: z.number().optional(),
    max_completion_tokens: z.number().int().optional(),
    stop: z.array(z.string()).optional(),
  })
  .describe("An OpenAI Chat Completions request body (target openai).");

export const anthropicMessagesRequestSchema = z
  .object({
    model: z.string(),
    max_tokens: z.number().int(),
    system: z.string().optional(),
    messages: z.array(
      z.object({
        role: z.enum(["user", "assistant"]),
        content: z.union([z.string(), z.array(anthropicBlock)]).describe("Text, or blocks when it has images"),
      }),
    ),
    temperature: z.number().optional(),
    top_p: z.number().optional(),
    stop_sequences: z.array(z.string()).optional(),
  })
  .describe("An Anthropic Messages request body (target anthropic).");

export const renderResultSchema = z.object({
  slug: z.string(),
  version: z.number().int().min(1).describe("The version that was rendered."),
  target: z.enum(TARGETS),
  text: z.string().describe("The rendered target as text (JSON bodies pretty-printed)."),
  json: z
    .union([openAIChatRequestSchema, anthropicMessagesRequestSchema])
    .optional()
    .describe("The request body, for the openai and anthropic targets."),
  variables: z.record(z.string(), variableValueSchema).describe("The values used, defaults included."),
  warnings: z
    .array(z.string())
    .optional()
    .describe("About the target itself, e.g. a stand-in model when the prompt's model is another vendor's."),
});
export type RenderResult = z.output<typeof renderResultSchema>;

export const snippetSummarySchema = z.object({
  name: z.string(),
  description: z.string(),
  headVersion: z.number().int().min(1).describe("The newest version number."),
  updatedAt: timestamp,
  url: z.string().describe("This snippet in the API."),
});

export const snippetListSchema = z.object({
  items: z.array(snippetSummarySchema).describe("Every live snippet, by name."),
});
export type SnippetList = z.output<typeof snippetListSchema>;

export const snippetSchema = z.object({
  name: z.string(),
  description: z.string(),
  headVersion: z.number().int().min(1),
  updatedAt: timestamp,
  version: z
    .object({
      number: z.number().int().min(1),
      template: z.string().describe("The template prompts include with `{{> name}}`."),
      message: z.string(),
      author: z.string().nullable(),
      createdAt: timestamp,
    })
    .describe("The version asked for: the newest or the numbered one."),
});
export type ApiSnippet = z.output<typeof snippetSchema>;

const readinessChecks = z
  .partialRecord(z.enum(["database", "migrations", "dataFile", "writable"]), z.string())
  .describe('Each check run, in order: "ok" or why it failed (the checks after a failed one are not run).');
const readinessBase = {
  version: z.string().describe("APP_VERSION of the running build."),
  timestamp,
  checks: readinessChecks,
};
export const readinessSchema = z.discriminatedUnion("status", [
  z.object({ status: z.literal("healthy"), database: z.literal("connected"), ...readinessBase }),
  z.object({
    status: z.literal("unhealthy"),
    database: z.enum(["connected", "disconnected"]),
    error: z.string().describe("The first failed check and why."),
    ...readinessBase,
  }),
]);

export const livenessSchema = z.object({ status: z.literal("ok") });

// --- the write API (docs/decisions/125) ---------------------------------------------------------

/** The 405 of the resources that are read and written, naming what they take (`Allow`). */
export const METHODS_OF = {
  prompts: { error: "Use GET to list prompts or POST to create one.", allow: "GET, HEAD, POST" },
  prompt: { error: "Use GET to read this prompt or DELETE to move it to the trash.", allow: "GET, HEAD, DELETE" },
  snippets: { error: "Use GET to list snippets or POST to create one.", allow: "GET, HEAD, POST" },
  snippet: { error: "Use GET to read this snippet or DELETE to move it to the trash.", allow: "GET, HEAD, DELETE" },
} as const;

/** The largest JSON body a write reads (413 above it; under the HTTP layer's BODY_LIMIT_JSON_BYTES default). */
export const MAX_WRITE_BODY_BYTES = 2_000_000;

/** A section as a client sends it: the builder's id is kept from the version it is based on, by position. */
export const sectionInputSchema = sectionSchema.omit({ id: true });

const versionContentFields = {
  sections: z
    .array(sectionInputSchema)
    .max(LIMITS.sections)
    .default([])
    .describe("In order, as the builder shows them."),
  variables: z
    .array(variableSchema)
    .max(LIMITS.variables)
    .default([])
    .describe("The typed variables the templates use."),
  modelSettings: modelSettingsSchema.default({ model: "gpt-4o", stop: [] }),
  message: z
    .string()
    .trim()
    .max(LIMITS.messageLength, `must be at most ${LIMITS.messageLength} characters`)
    .default("")
    .describe("What changed, for the history."),
};

export const writeSlugSchema = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, "must be lower-case letters and digits joined by single hyphens")
  .describe("The prompt's address; made from the name when not given.");

/** POST /api/v1/prompts body: a new prompt with its first version. */
export const promptCreateRequestSchema = z
  .object({
    ...promptMetaSchema.shape,
    slug: writeSlugSchema.optional(),
    ...versionContentFields,
  })
  .strict();
export type PromptCreateRequest = z.output<typeof promptCreateRequestSchema>;

/** POST /api/v1/prompts/{slug}/versions body: the next version, on top of `baseVersion`. */
export const versionCreateRequestSchema = z
  .object({
    baseVersion: versionNumberSchema.describe(
      "The version this one was made from: when the prompt has a newer one, nothing is saved (409).",
    ),
    ...versionContentFields,
  })
  .strict();
export type VersionCreateRequest = z.output<typeof versionCreateRequestSchema>;

export const labelMoveResultSchema = z.object({
  slug: z.string(),
  label: z.string(),
  version: z.number().int().min(1).describe("The version the label points at now."),
  previousVersion: z.number().int().min(1).nullable().describe("Where it pointed before; null for a new label."),
  moved: z.boolean().describe("False when it already pointed there (nothing was recorded)."),
});
export type LabelMoveResult = z.output<typeof labelMoveResultSchema>;

/** POST /api/v1/snippets body. */
export const snippetCreateRequestSchema = z
  .object({
    name: z.string().min(1).max(64).describe("How templates include it: `{{> name}}`."),
    description: z.string().max(LIMITS.descriptionLength).default(""),
    template: z.string().max(LIMITS.sectionTemplateChars),
    message: z.string().max(LIMITS.messageLength).default(""),
  })
  .strict();

/** POST /api/v1/snippets/{name}/versions body. */
export const snippetVersionRequestSchema = z
  .object({
    baseVersion: versionNumberSchema.describe("The version this one was made from (409 when there is a newer one)."),
    template: z.string().max(LIMITS.sectionTemplateChars),
    description: z.string().max(LIMITS.descriptionLength).optional().describe("Unchanged when not given."),
    message: z.string().max(LIMITS.messageLength).default(""),
  })
  .strict();

export const trashResultSchema = z.object({
  trashed: z.literal(true),
  purgeAfter: timestamp.describe("When the trash deletes it for good unless it is restored."),
});

export const promptRestoreResultSchema = z.object({
  slug: z.string(),
  name: z.string().describe("Its name now: a name taken meanwhile in its folder gets “(restored)”."),
  renamed: z.boolean(),
});

export const snippetRestoreResultSchema = z.object({ name: z.string(), restored: z.literal(true) });

/** A 409 on a save: the problem, with the version the edit was based on and the newest one. */
export const promptConflictSchema = problemSchema.extend({
  versions: z
    .object({ base: promptVersionSchema, head: promptVersionSchema })
    .describe("The version the request was based on and the newest one, to merge from."),
});
export const snippetConflictSchema = problemSchema.extend({
  versions: z
    .object({ base: snippetSchema.shape.version, head: snippetSchema.shape.version })
    .describe("The version the request was based on and the newest one."),
});
