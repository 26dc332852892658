/**
 * The OpenAPI 3.1 document of the JSON API, generated from the zod schemas in ./schemas with zod's
 * own `z.toJSONSchema` (draft 2020-12, the dialect OpenAPI 3.1 uses). Request shapes are emitted
 * as the input a client sends (defaults optional, coerced query strings), responses as the output
 * the server produces; problem examples come from the mapper the routes answer with. Server-side:
 * served by app/routes/api.openapi[.json].ts.
 */
import { z } from "zod";
import {
  anthropicMessagesRequestSchema,
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
  variableSchema,
} from "./schemas";
import { CursorError, NotFoundError } from "~/prompt/errors";
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

export const OPENAPI_PATH = "/api/openapi.json";
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

/** Examples of problem bodies, each exactly what the server answers for the request named. */
export const PROBLEM_EXAMPLES = {
  badListQuery: { summary: "GET /api/prompts?limit=1000", value: invalid(listQuerySchema, { limit: "1000" }) },
  badFolder: { summary: "GET /api/prompts?folder=a/../b", value: invalid(listQuerySchema, { folder: "a/../b" }) },
  badCursor: { summary: "GET /api/prompts?cursor=garbage", value: answer(new CursorError()) },
  badVersion: {
    summary: "GET /api/prompts/{slug}?version=abc",
    value: invalid(promptSelectorSchema, { version: "abc" }),
  },
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
  responses.add(readinessSchema, { id: "Readiness" });
  responses.add(livenessSchema, { id: "Liveness" });

  const schemas = { ...components(requests, "input"), ...components(responses, "output") };

  return {
    openapi: "3.1.0",
    info: {
      title: "Prompt Builder API",
      version,
      description:
        "Serves prompts to programs: list and search, one prompt by its newest version, a label or a version number, and render with variables to a target format. " +
        "A request the caller can fix gets a 4xx problem (RFC 9457, `application/problem+json`) `{ status, error, issues: [{ path, message }] }`; `path` names the field.",
    },
    servers: [{ url: "/" }],
    tags: [
      { name: "prompts", description: "Prompts and rendering" },
      { name: "health", description: "Probes" },
      { name: "meta", description: "This document" },
    ],
    paths: {
      "/api/prompts": {
        get: {
          operationId: "listPrompts",
          tags: ["prompts"],
          summary: "List and search prompts",
          parameters: queryParameters(listQuerySchema),
          responses: {
            "200": json(ref("PromptList"), "A page of prompts."),
            "400": problem("A query parameter is not valid.", "badListQuery", "badFolder", "badCursor"),
          },
        },
      },
      "/api/prompts/{slug}": {
        get: {
          operationId: "getPrompt",
          tags: ["prompts"],
          summary: "One prompt with its newest, labelled or numbered version",
          description: "Give `label` or `version`, not both; without either, the newest version.",
          parameters: [slugParameter, ...queryParameters(promptSelectorSchema)],
          responses: {
            "200": json(ref("Prompt"), "The prompt and the version asked for."),
            "400": problem("A query parameter is not valid.", "badVersion"),
            "404": problem(
              "No prompt at this slug, or it has no such label or version.",
              "noPrompt",
              "noVersion",
              "noLabel",
            ),
          },
        },
      },
      "/api/prompts/{slug}/render": {
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
            "422": problem(
              "The values do not fit the prompt's variables; each issue names one under `variables`.",
              "missingVariable",
            ),
          },
        },
      },
      "/api/health": {
        get: {
          operationId: "readiness",
          tags: ["health"],
          summary: "Readiness: the database answers, is migrated, and accepts writes",
          responses: {
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
          responses: { "200": json({ type: "object" }, "The OpenAPI 3.1 document.") },
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
