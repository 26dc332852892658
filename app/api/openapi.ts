/**
 * The OpenAPI 3.1 document of the JSON API, generated from the zod schemas in ./schemas with zod's
 * own `z.toJSONSchema` (draft 2020-12, the dialect OpenAPI 3.1 uses). Request shapes are emitted
 * as the input a client sends (defaults optional, coerced query strings), responses as the output
 * the server produces; problem examples come from the mapper the routes answer with. Server-side:
 * served by app/routes/api.v1.openapi[.json].ts.
 */
import { z } from "zod";
import {
  anthropicMessagesRequestSchema,
  changeRequestCreatedSchema,
  labelMovedSchema,
  labelMoveRequestSchema,
  labelNameParamSchema,
  MAX_LABEL_MOVE_BODY_BYTES,
  issueSchema,
  listQuerySchema,
  livenessSchema,
  MAX_RENDER_BODY_BYTES,
  modelSettingsSchema,
  openAIChatRequestSchema,
  problemSchema,
  promptListSchema,
  promptSchema,
  promptSectionSchema,
  promptSelectorSchema,
  promptSummarySchema,
  promptVersionSchema,
  readinessSchema,
  renderRequestSchema,
  renderResultSchema,
  slugParamSchema,
  snippetListSchema,
  snippetNameParamSchema,
  snippetSchema,
  snippetSelectorSchema,
  snippetSummarySchema,
  variableSchema,
  API_BASE,
  parseNoQuery,
  parsePromptSelector,
} from "./schemas";
import { ConflictError, CursorError, InvalidError, NotFoundError } from "~/prompt/errors";
import { bundleSchema, MAX_BUNDLE_DEPTH, parseBundle } from "~/transfer/bundle";
import { langfuseToBundle } from "~/transfer/langfuse";
import { exportQuerySchema, importQuerySchema, importReportSchema, markdownQuerySchema } from "./transfer-schemas";
import type { Problem } from "~/prompt/problem";
import { invalidFrom } from "~/prompt/zod-issues";
import {
  bodyNotJsonProblem,
  bodyTooLargeProblem,
  PROBLEM_CONTENT_TYPE,
  problemFor,
} from "~/server/http/problem.server";

type JsonSchema = Record<string, unknown>;
type Registry = ReturnType<typeof z.registry<{ id: string }>>;

export const OPENAPI_PATH = `${API_BASE}/openapi.json`;
const ref = (id: string) => ({ $ref: `#/components/schemas/${id}` });

/** Component schemas from a registry, with refs between them pointing into components/schemas. */
function components(registry: Registry, io: "input" | "output"): Record<string, JsonSchema> {
  const { schemas } = z.toJSONSchema(registry, { io, uri: (id) => `#/components/schemas/${id}` }) as {
    schemas: Record<string, JsonSchema>;
  };
  if ("__shared" in schemas)
    throw new Error("openapi: a schema is shared between components without an id; register it");
  return Object.fromEntries(Object.entries(schemas).map(([id, { $schema: _s, $id: _i, ...schema }]) => [id, schema]));
}

/** OpenAPI query parameters from a zod object: one per property, in the input form a client sends. */
function queryParameters(schema: z.ZodType) {
  const json = z.toJSONSchema(schema, { io: "input" }) as {
    properties?: Record<string, JsonSchema>;
    required?: string[];
  };
  return Object.entries(json.properties ?? {}).map(([name, { description, ...prop }]) => ({
    name,
    in: "query",
    required: (json.required ?? []).includes(name),
    ...(description ? { description } : {}),
    schema: prop,
  }));
}

/** The problem the server answers for a domain error, through the same mapper the routes use. */
function answer(error: Error): Problem {
  const problem = problemFor(error);
  if (!problem) throw new Error(`openapi: ${error.name} is not a domain error`);
  return problem;
}

function invalid(schema: z.ZodType, input: unknown): Problem {
  const r = schema.safeParse(input);
  if (r.success) throw new Error("openapi: an example of invalid input parsed");
  return answer(invalidFrom(r.error, { malformed: true }));
}

function thrown(fn: () => unknown): Problem {
  try {
    fn();
  } catch (error) {
    if (error instanceof InvalidError) return answer(error);
    throw error;
  }
  throw new Error("openapi: an example of invalid input parsed");
}

function bundleParseProblem(result: ReturnType<typeof parseBundle>): Problem {
  if (result.ok) throw new Error("openapi: an example of an invalid bundle parsed");
  return { status: result.status, error: result.error, issues: result.issues };
}

function nested(depth: number): unknown {
  let v: unknown = 0;
  for (let i = 0; i < depth; i++) v = [v];
  return v;
}

/** Examples of problem bodies, each exactly what the server answers for the request named. */
export const PROBLEM_EXAMPLES = {
  badListQuery: { summary: "GET /api/v1/prompts?limit=1000", value: invalid(listQuerySchema, { limit: "1000" }) },
  badFolder: { summary: "GET /api/v1/prompts?folder=a/../b", value: invalid(listQuerySchema, { folder: "a/../b" }) },
  badCursor: { summary: "GET /api/v1/prompts?cursor=garbage", value: answer(new CursorError()) },
  badVersion: {
    summary: "GET /api/v1/prompts/{slug}?version=abc",
    value: invalid(promptSelectorSchema, { version: "abc" }),
  },
  unknownParameter: {
    summary: "GET /api/v1/prompts/{slug}?lable=production",
    value: thrown(() => parsePromptSelector(new URLSearchParams("lable=production"))),
  },
  badSnippetVersion: {
    summary: "GET /api/v1/snippets/{name}?version=0",
    value: invalid(snippetSelectorSchema, { version: "0" }),
  },
  noSnippet: { summary: "An unknown snippet name", value: answer(NotFoundError.snippet("nope")) },
  noPrompt: { summary: "An unknown slug", value: answer(NotFoundError.prompt("nope")) },
  noVersion: { summary: "?version=99 of a prompt with fewer versions", value: answer(NotFoundError.version(99)) },
  noLabel: { summary: "?label=canary of a prompt without that label", value: answer(NotFoundError.label("canary")) },
  badTarget: { summary: 'Body { "target": "pdf" }', value: invalid(renderRequestSchema, { target: "pdf" }) },
  unknownField: { summary: 'Body { "unknown": 1 }', value: invalid(renderRequestSchema, { unknown: 1 }) },
  notJson: { summary: "A body that is not JSON", value: bodyNotJsonProblem() },
  tooLarge: {
    summary: `A body over ${MAX_RENDER_BODY_BYTES} bytes`,
    value: bodyTooLargeProblem(MAX_RENDER_BODY_BYTES),
  },
  unknownVariable: {
    summary: 'Body { "variables": { "qestion": "Hi" } } (strict by default)',
    value: {
      status: 422,
      error: 'This version has no variable named "qestion".',
      issues: [
        {
          path: ["variables", "qestion"],
          message: 'not a variable of this version (send "strict": false to ignore values it does not use)',
        },
      ],
    },
  },
  postOnly: {
    summary: "GET /api/v1/prompts/{slug}/render",
    value: {
      status: 405,
      error: "Use POST with a JSON body to render a prompt.",
      issues: [{ path: [], message: "method not allowed" }],
    },
  },
  unexpectedParameter: {
    summary: "GET /api/v1/snippets?limit=5",
    value: thrown(() => parseNoQuery(new URLSearchParams("limit=5"))),
  },
  readOnly: {
    summary: "DELETE (or any method but GET and HEAD) on a read-only resource",
    value: {
      status: 405,
      error: "This resource is read-only: use GET.",
      issues: [{ path: [], message: "method not allowed" }],
    },
  },
  unknownFormatVersion: {
    summary: 'POST /api/v1/import with { "formatVersion": 2, … }',
    value: bundleParseProblem(parseBundle({ formatVersion: 2 })),
  },
  badBundle: {
    summary: "POST /api/v1/import with a version that is not a number",
    value: bundleParseProblem(
      parseBundle({ formatVersion: 1, folders: [], tags: [], snippets: [], prompts: [{ slug: "x" }] }),
    ),
  },
  tooDeep: {
    summary: `A body nested deeper than the bundle format (${MAX_BUNDLE_DEPTH} levels)`,
    value: bundleParseProblem(parseBundle({ formatVersion: 1, folders: nested(MAX_BUNDLE_DEPTH + 1) })),
  },
  notLangfuse: {
    summary: "POST /api/v1/import/langfuse with an object instead of a list",
    value: bundleParseProblem(langfuseToBundle({ name: "x" })),
  },
  noExportPrompt: {
    summary: "GET /api/v1/export?prompt=nope",
    value: answer(new NotFoundError("prompt", "nope", 'No prompt "nope" to export.', "prompt")),
  },
  exportsOff: {
    summary: "Any export with ENABLE_EXPORT=false",
    value: {
      status: 404,
      error: "Exports are turned off on this instance (ENABLE_EXPORT=false).",
      issues: [{ path: [], message: "not found" }],
    },
  },
  importTooLarge: {
    summary: "An import body over IMPORT_MAX_BYTES (the default, 2 MiB)",
    value: bodyTooLargeProblem(2 * 1024 * 1024),
  },
  importGet: {
    summary: "GET /api/v1/import",
    value: {
      status: 405,
      error: "POST a bundle (application/json) to import it.",
      issues: [{ path: [], message: "method not allowed" }],
    },
  },
  badLabelMove: { summary: 'Body { "version": 0 }', value: invalid(labelMoveRequestSchema, { version: 0 }) },
  putOnly: {
    summary: "GET /api/v1/prompts/{slug}/labels/{name}",
    value: {
      status: 405,
      error: "Use PUT with a JSON body { version } to move a label.",
      issues: [{ path: [], message: "method not allowed" }],
    },
  },
  noVersionToLabel: {
    summary: 'Body { "version": 99 } for a prompt with fewer versions',
    value: answer(InvalidError.field("version", "That version does not exist for this prompt.")),
  },
  requestOpen: {
    summary: "The same move of a protected label is already waiting for approval",
    value: answer(
      new ConflictError("changeRequest", 'A request to point "production" at version 2 is already open.', "version"),
    ),
  },
  labelMoveTooLarge: {
    summary: `A body over ${MAX_LABEL_MOVE_BODY_BYTES} bytes`,
    value: bodyTooLargeProblem(MAX_LABEL_MOVE_BODY_BYTES),
  },
  missingVariable: {
    summary: "A required variable without a value, used by the third section",
    value: {
      status: 422,
      error: "The prompt cannot be rendered with these variables.",
      issues: [
        // Each problem once, with every place it occurs.
        {
          path: ["variables", "question"],
          message: '"question" is required — enter a value (at Task (section 3), line 1)',
        },
      ],
    },
  },
} satisfies Record<string, { summary: string; value: Problem }>;
type ExampleName = keyof typeof PROBLEM_EXAMPLES;

const JSON_TYPE = "application/json";
const json = (schema: JsonSchema, description: string) => ({ description, content: { [JSON_TYPE]: { schema } } });
const problem = (description: string, ...examples: ExampleName[]) => ({
  description,
  content: {
    [PROBLEM_CONTENT_TYPE]: {
      schema: ref("Problem"),
      examples: Object.fromEntries(examples.map((name) => [name, PROBLEM_EXAMPLES[name]])),
    },
  },
});
/** A schema on its own, without the `$schema` a standalone conversion adds. */
function inline(schema: z.ZodType): JsonSchema {
  const { $schema: _s, description: _d, ...rest } = z.toJSONSchema(schema, { io: "input" }) as JsonSchema;
  return rest;
}
const READ_HEADERS = {
  ETag: {
    description:
      "Strong validator of this exact body (the version id and a digest); send it back as If-None-Match to get 304 while nothing changed.",
    schema: { type: "string" },
  },
  "Cache-Control": {
    description: "`no-cache, no-transform`: revalidate every use (a label can move at any time); a 304 costs little.",
    schema: { type: "string" },
  },
};
const ifNoneMatch = {
  name: "If-None-Match",
  in: "header",
  required: false,
  description: "An ETag this operation returned: 304 Not Modified while it still names the current body.",
  schema: { type: "string" },
};
/** A read's 200 (with its validator headers) and its 304. */
const read = (schema: JsonSchema, description: string) => ({
  "200": { ...json(schema, description), headers: READ_HEADERS },
  "304": { description: "Not modified: the If-None-Match ETag names the current body.", headers: READ_HEADERS },
  "405": problem("Any method but GET or HEAD (`Allow: GET, HEAD`).", "readOnly"),
});
const snippetNameParameter = {
  name: "name",
  in: "path",
  required: true,
  description: snippetNameParamSchema.description,
  schema: inline(snippetNameParamSchema),
};
const slugParameter = {
  name: "slug",
  in: "path",
  required: true,
  description: slugParamSchema.description,
  schema: inline(slugParamSchema),
};

function build(version: string) {
  const requests = z.registry<{ id: string }>();
  requests.add(renderRequestSchema, { id: "RenderRequest" });
  requests.add(bundleSchema, { id: "BundleInput" });
  requests.add(labelMoveRequestSchema, { id: "LabelMoveRequest" });

  const responses = z.registry<{ id: string }>();
  responses.add(issueSchema, { id: "Issue" });
  responses.add(problemSchema, { id: "Problem" });
  responses.add(promptSummarySchema, { id: "PromptSummary" });
  responses.add(promptListSchema, { id: "PromptList" });
  responses.add(promptSectionSchema, { id: "Section" });
  responses.add(variableSchema, { id: "Variable" });
  responses.add(modelSettingsSchema, { id: "ModelSettings" });
  responses.add(promptVersionSchema, { id: "PromptVersion" });
  responses.add(promptSchema, { id: "Prompt" });
  responses.add(openAIChatRequestSchema, { id: "OpenAIChatRequest" });
  responses.add(anthropicMessagesRequestSchema, { id: "AnthropicMessagesRequest" });
  responses.add(renderResultSchema, { id: "RenderResult" });
  responses.add(snippetSummarySchema, { id: "SnippetSummary" });
  responses.add(snippetListSchema, { id: "SnippetList" });
  responses.add(snippetSchema, { id: "Snippet" });
  responses.add(labelMovedSchema, { id: "LabelMoved" });
  responses.add(changeRequestCreatedSchema, { id: "ChangeRequestCreated" });
  responses.add(readinessSchema, { id: "Readiness" });
  responses.add(livenessSchema, { id: "Liveness" });
  responses.add(bundleSchema, { id: "Bundle" });
  responses.add(importReportSchema, { id: "ImportReport" });

  const schemas = { ...components(requests, "input"), ...components(responses, "output") };

  return {
    openapi: "3.1.0",
    info: {
      title: "Prompt Builder API",
      version,
      description:
        "Serves prompts to programs: list and search, one prompt by its newest version, a label or a version number, render with variables to a target format, and the snippets prompts include. " +
        "A request the caller can fix gets a 4xx problem (RFC 9457, `application/problem+json`) `{ status, error, issues: [{ path, message }] }`; `path` names the field. " +
        "Unknown query parameters and body fields are refused (400). Reads carry a strong ETag and `Cache-Control: no-cache`: poll with If-None-Match and get 304 while nothing changed. " +
        "Any other path under /api answers a 404 problem; the unversioned /api/prompts… paths answer 308 to /api/v1.",
    },
    servers: [{ url: "/" }],
    tags: [
      { name: "prompts", description: "Prompts and rendering" },
      { name: "snippets", description: "Reusable sections prompts include by name" },
      { name: "transfer", description: "Bundles in and out (docs/bundle-format.md), Langfuse import, Markdown" },
      { name: "health", description: "Probes" },
      { name: "meta", description: "This document" },
    ],
    paths: {
      [`${API_BASE}/prompts`]: {
        get: {
          operationId: "listPrompts",
          tags: ["prompts"],
          summary: "List and search prompts",
          parameters: [...queryParameters(listQuerySchema), ifNoneMatch],
          responses: {
            ...read(ref("PromptList"), "A page of prompts."),
            "400": problem("A query parameter is not valid or not known.", "badListQuery", "badFolder", "badCursor"),
          },
        },
      },
      [`${API_BASE}/prompts/{slug}`]: {
        get: {
          operationId: "getPrompt",
          tags: ["prompts"],
          summary: "One prompt with its newest, labelled or numbered version",
          description:
            "Give `label` or `version`, not both; without either, the newest version. A label moved on any replica is served from the next request on.",
          parameters: [slugParameter, ...queryParameters(promptSelectorSchema), ifNoneMatch],
          responses: {
            ...read(ref("Prompt"), "The prompt and the version asked for."),
            "400": problem("A query parameter is not valid or not known.", "badVersion", "unknownParameter"),
            "404": problem(
              "No prompt at this slug, or it has no such label or version.",
              "noPrompt",
              "noVersion",
              "noLabel",
            ),
          },
        },
      },
      [`${API_BASE}/prompts/{slug}/render`]: {
        post: {
          operationId: "renderPrompt",
          tags: ["prompts"],
          summary: "Render a prompt with variables to a target",
          description: "Renders through the same renderer as the builder, snippets included. Other methods get 405.",
          parameters: [slugParameter],
          requestBody: {
            required: false,
            description: "An empty body means `{}`: the newest version as plain text with defaults.",
            content: { [JSON_TYPE]: { schema: ref("RenderRequest") } },
          },
          responses: {
            "200": json(ref("RenderResult"), "The rendered target."),
            "400": problem(
              "The body is not JSON or does not fit RenderRequest.",
              "notJson",
              "badTarget",
              "unknownField",
            ),
            "404": problem(
              "No prompt at this slug, or it has no such label or version.",
              "noPrompt",
              "noVersion",
              "noLabel",
            ),
            "413": problem(`The body is larger than ${MAX_RENDER_BODY_BYTES} bytes.`, "tooLarge"),
            "405": problem("Any method but POST (`Allow: POST`).", "postOnly"),
            "422": problem(
              "The values do not fit the prompt's variables, or name a variable the version does not have (unless `strict` is false); each issue names one under `variables`.",
              "missingVariable",
              "unknownVariable",
            ),
          },
        },
      },
      [`${API_BASE}/prompts/{slug}/labels/{name}`]: {
        put: {
          operationId: "moveLabel",
          tags: ["prompts"],
          summary: "Point a label at a version (or request it, for a protected label)",
          description:
            "Needs the `write` scope (a token limited to labels may name only those). An unprotected label moves at once (200). " +
            "A protected label is never moved through the API, whoever owns the token: the answer is 202 with a change request, " +
            "which an admin or approver other than the proposer approves or rejects in the browser. Only a version that renders " +
            "with its defaults and the saved test values may be served (422 otherwise). Other methods get 405.",
          parameters: [
            slugParameter,
            {
              name: "name",
              in: "path",
              required: true,
              description: labelNameParamSchema.description,
              schema: inline(labelNameParamSchema),
            },
          ],
          requestBody: { required: true, content: { [JSON_TYPE]: { schema: ref("LabelMoveRequest") } } },
          responses: {
            "200": json(ref("LabelMoved"), "The label points at the version."),
            "202": {
              ...json(ref("ChangeRequestCreated"), "The label is protected: a change request was opened instead."),
              headers: { Location: { description: "The change request's page.", schema: { type: "string" } } },
            },
            "400": problem("The body is not JSON or does not fit LabelMoveRequest.", "notJson", "badLabelMove"),
            "404": problem("No prompt at this slug.", "noPrompt"),
            "405": problem("Any method but PUT (`Allow: PUT`).", "putOnly"),
            "409": problem("A request for this move is already open.", "requestOpen"),
            "413": problem(`The body is larger than ${MAX_LABEL_MOVE_BODY_BYTES} bytes.`, "labelMoveTooLarge"),
            "422": problem(
              "The version does not exist, or does not render with its defaults and saved test values.",
              "noVersionToLabel",
            ),
          },
        },
      },
      [`${API_BASE}/snippets`]: {
        get: {
          operationId: "listSnippets",
          tags: ["snippets"],
          summary: "Every live snippet",
          parameters: [ifNoneMatch],
          responses: {
            ...read(ref("SnippetList"), "The snippets, by name."),
            "400": problem("A query parameter was given (this operation takes none).", "unexpectedParameter"),
          },
        },
      },
      [`${API_BASE}/snippets/{name}`]: {
        get: {
          operationId: "getSnippet",
          tags: ["snippets"],
          summary: "One snippet with its newest or numbered version's template",
          parameters: [snippetNameParameter, ...queryParameters(snippetSelectorSchema), ifNoneMatch],
          responses: {
            ...read(ref("Snippet"), "The snippet and the version asked for."),
            "400": problem("A query parameter is not valid or not known.", "badSnippetVersion"),
            "404": problem("No live snippet of this name, or it has no such version.", "noSnippet"),
          },
        },
      },
      [`${API_BASE}/export`]: {
        get: {
          operationId: "exportBundle",
          tags: ["transfer"],
          summary: "The library, a selection or a folder as a bundle",
          description:
            "Only the prompts the caller may read. A selection carries the folders and tags its prompts use and every snippet their versions pin. Refused (422) past EXPORT_MAX_VERSIONS versions. 404 when the instance has ENABLE_EXPORT=false.",
          parameters: queryParameters(exportQuerySchema),
          responses: {
            "200": json(ref("Bundle"), "The bundle (a file: Content-Disposition attachment)."),
            "400": problem("A query parameter is not valid or not known.", "unexpectedParameter"),
            "404": problem(
              "A prompt or folder named does not exist, or exports are off.",
              "noExportPrompt",
              "exportsOff",
            ),
            "405": problem("Any method but GET or HEAD.", "readOnly"),
          },
        },
      },
      [`${API_BASE}/import`]: {
        post: {
          operationId: "importBundle",
          tags: ["transfer"],
          summary: "Import a bundle",
          description:
            "Validated in full first; any problem (schema, unknown formatVersion, snippet cycle, a pin to a snippet version neither side holds, a snippet clash under rename) answers every issue with its path and writes nothing. Otherwise one transaction. Needs the write scope.",
          parameters: queryParameters(importQuerySchema),
          requestBody: { required: true, content: { [JSON_TYPE]: { schema: ref("BundleInput") } } },
          responses: {
            "200": json(
              ref("ImportReport"),
              "What was (or, with dryRun, would be) created, versioned, renamed and skipped.",
            ),
            "400": problem(
              "The body is not JSON, nests too deeply, or a query parameter is wrong.",
              "notJson",
              "tooDeep",
            ),
            "405": problem("Any method but POST.", "importGet"),
            "413": problem("The body is larger than IMPORT_MAX_BYTES (default 2 MiB).", "importTooLarge"),
            "422": problem("The bundle has problems; nothing was written.", "unknownFormatVersion", "badBundle"),
          },
        },
      },
      [`${API_BASE}/import/langfuse`]: {
        post: {
          operationId: "importLangfuse",
          tags: ["transfer"],
          summary: "Import prompts exported from Langfuse",
          description:
            "A JSON array of the objects Langfuse's GET /api/public/v2/prompts/{name} returns (one per version), mapped as docs/langfuse-import.md says, then imported like a bundle.",
          parameters: queryParameters(importQuerySchema),
          requestBody: {
            required: true,
            content: { [JSON_TYPE]: { schema: { type: "array", items: { type: "object" } } } },
          },
          responses: {
            "200": json(ref("ImportReport"), "What was (or would be) imported."),
            "400": problem("The body is not JSON or nests too deeply.", "notJson"),
            "405": problem("Any method but POST.", "importGet"),
            "413": problem("The body is larger than IMPORT_MAX_BYTES (default 2 MiB).", "importTooLarge"),
            "422": problem("The prompts cannot be mapped; nothing was written.", "notLangfuse"),
          },
        },
      },
      [`${API_BASE}/prompts/{slug}/export.md`]: {
        get: {
          operationId: "exportMarkdown",
          tags: ["transfer"],
          summary: "One version as readable Markdown",
          parameters: [slugParameter, ...queryParameters(markdownQuerySchema)],
          responses: {
            "200": {
              description: "The Markdown document (a file).",
              content: { "text/markdown": { schema: { type: "string" } } },
            },
            "400": problem("A query parameter is not valid or not known.", "badVersion"),
            "404": problem("No such prompt, label or version, or exports are off.", "noPrompt", "noVersion"),
            "405": problem("Any method but GET or HEAD.", "readOnly"),
          },
        },
      },
      [`${API_BASE}/schemas/bundle.json`]: {
        get: {
          operationId: "bundleSchema",
          tags: ["meta"],
          summary: "The JSON Schema (2020-12) of the bundle format",
          responses: {
            "200": json({ type: "object" }, "The JSON Schema."),
            "405": problem("Any method but GET or HEAD.", "readOnly"),
          },
        },
      },
      "/api/health": {
        get: {
          operationId: "readiness",
          tags: ["health"],
          summary: "Readiness: the database answers, is migrated, and accepts writes",
          responses: {
            "405": problem("Any method but GET or HEAD.", "readOnly"),
            "200": json(ref("Readiness"), "Ready (status healthy)."),
            "503": json(
              ref("Readiness"),
              "Not ready (status unhealthy): the database does not answer, is not migrated, its file is gone or replaced, or it cannot be written.",
            ),
          },
        },
      },
      "/healthz": {
        get: {
          operationId: "liveness",
          tags: ["health"],
          summary: "Liveness: the process answers (touches no database)",
          responses: { "200": json(ref("Liveness"), "Alive.") },
        },
      },
      [OPENAPI_PATH]: {
        get: {
          operationId: "openapi",
          tags: ["meta"],
          summary: "This document",
          responses: {
            "200": json({ type: "object" }, "The OpenAPI 3.1 document."),
            "405": problem("Any method but GET or HEAD.", "readOnly"),
          },
        },
      },
    },
    components: { schemas },
  };
}

export type OpenApiDocument = ReturnType<typeof build>;
const cache = new Map<string, OpenApiDocument>();

/** The document for this build (generated once per version string). */
export function openApiDocument(version: string): OpenApiDocument {
  let doc = cache.get(version);
  if (!doc) cache.set(version, (doc = build(version)));
  return doc;
}
