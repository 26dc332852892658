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
  METHODS_OF,
  labelMoveResultSchema,
  MAX_WRITE_BODY_BYTES,
  promptConflictSchema,
  promptCreateRequestSchema,
  promptRestoreResultSchema,
  sectionInputSchema,
  snippetConflictSchema,
  snippetCreateRequestSchema,
  snippetRestoreResultSchema,
  snippetVersionRequestSchema,
  trashResultSchema,
  versionCreateRequestSchema,
  parseNoQuery,
  parsePromptSelector,
} from "./schemas";
import {
  ConflictError,
  CursorError,
  ForbiddenError,
  InvalidError,
  NotFoundError,
  VersionConflictError,
} from "~/prompt/errors";
import { bundleSchema, MAX_BUNDLE_DEPTH, parseBundle } from "~/transfer/bundle";
import { langfuseToBundle } from "~/transfer/langfuse";
import { exportQuerySchema, importQuerySchema, importReportSchema, markdownQuerySchema } from "./transfer-schemas";
import type { Problem } from "~/prompt/problem";
import { folderPathSchema, promptDraftSchema } from "~/prompt/draft";
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

/** A version as a conflict example shows it. */
function exampleVersion(number: number, template: string) {
  return {
    number,
    message: "",
    author: null,
    createdAt: `2026-01-0${number}T00:00:00.000Z`,
    sections: [{ kind: "task" as const, title: "Task", template, enabled: true, examples: [] }],
    variables: [{ name: "question", type: "text" as const, required: true, enumValues: [], description: "" }],
    modelSettings: { model: "gpt-4o", stop: [] },
  };
}

/** PUT (and POST) /prompts/{slug}/labels/{name}: a move, or a change request for a protected label. */
function moveLabelOperation(operationId: string) {
  return {
    operationId,
    tags: ["prompts", "write"],
    summary: "Point a label at a version (or request it, for a protected label)",
    description:
      "Needs the `write` scope (a token limited to labels may name only those). An unprotected label moves at once (200); " +
      "a new name creates the label; every move is recorded. A protected label is never moved through the API, whoever owns " +
      "the token: the answer is 202 with a change request, which an admin or approver other than the proposer approves or " +
      "rejects in the browser. Only a version that renders with its defaults and the saved test values, and that passed the " +
      "label's gate suite if it has one, may be served (422 otherwise).",
    parameters: [slugParameter, labelNameParameter, idempotencyKey],
    requestBody: jsonBody(ref("LabelMoveRequest"), "The version, and a comment kept with a change request."),
    responses: {
      "200": json(ref("LabelMoveResult"), "Where the label points now."),
      "202": {
        ...json(ref("ChangeRequestCreated"), "The label is protected: a change request was opened instead."),
        headers: { Location: { description: "The change request's page.", schema: { type: "string" } } },
      },
      "400": problem("The body is not JSON or does not fit LabelMoveRequest.", "notJson", "badLabelMove"),
      ...writeProblems(true),
      "405": problem("Any method but PUT or POST (`Allow: PUT, POST`).", "putOnly"),
      "413": problem(`The body is larger than ${MAX_LABEL_MOVE_BODY_BYTES} bytes.`, "labelMoveTooLarge"),
      "403": problem(
        "The token lacks the write scope or is limited to other labels.",
        "noWriteScope",
        "labelOutsideToken",
      ),
      "404": problem("No live prompt at this slug.", "noPrompt"),
      "409": problem("A request for this move is already open.", "requestOpen"),
      "422": problem(
        "No such version, a label name that is not valid, or a version that does not render.",
        "noSuchVersion",
        "noVersionToLabel",
      ),
    },
  };
}

/** The 405 a read-and-write resource answers for a method it does not take. */
function methodsExample(name: keyof typeof METHODS_OF): { summary: string; value: Problem } {
  const m = METHODS_OF[name];
  return {
    summary: `Another method (\`Allow: ${m.allow}\`)`,
    value: { status: 405, error: m.error, issues: [{ path: [], message: "method not allowed" }] },
  };
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
  promptsMethods: methodsExample("prompts"),
  promptMethods: methodsExample("prompt"),
  snippetsMethods: methodsExample("snippets"),
  snippetMethods: methodsExample("snippet"),
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
      error: "Export is switched off on this instance (ENABLE_EXPORT=false).",
      issues: [{ path: [], message: "export is disabled" }],
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
  zipNotZip: {
    summary: "POST /api/v1/import/zip with bytes that are not a zip",
    value: {
      status: 400,
      error: "The file is not a zip this instance can read.",
      issues: [{ path: [], message: "is not a zip (no end of central directory)" }],
    },
  },
  zipTraversal: {
    summary: "A zip with an entry ../x.prompt",
    value: {
      status: 422,
      error: "The zip cannot be imported.",
      issues: [{ path: ["../x.prompt"], message: 'has a ".." part (outside the tree)' }],
    },
  },
  zipBomb: {
    summary: "A zip entry that declares 1 GB",
    value: {
      status: 422,
      error: "The zip cannot be imported.",
      issues: [
        {
          path: ["bomb.prompt"],
          message: "would inflate to 1000000000 bytes; one entry may have at most 2097152",
        },
      ],
    },
  },
  zipType: {
    summary: "POST /api/v1/import/zip with Content-Type application/json",
    value: {
      status: 415,
      error: "Send the body as application/zip.",
      issues: [{ path: [], message: "unsupported content type" }],
    },
  },
  zipTooLarge: {
    summary: "A zip over IMPORT_MAX_BYTES (by default 2 MiB)",
    value: bodyTooLargeProblem(2 * 1024 * 1024),
  },
  zipGet: {
    summary: "GET /api/v1/import/zip",
    value: {
      status: 405,
      error: "POST a zip of .prompt files (application/zip) to import it.",
      issues: [{ path: [], message: "method not allowed" }],
    },
  },
  badLabelMove: { summary: 'Body { "version": 0 }', value: invalid(labelMoveRequestSchema, { version: 0 }) },
  putOnly: {
    summary: "GET /api/v1/prompts/{slug}/labels/{name}",
    value: {
      status: 405,
      error: "Use PUT with a JSON body { version, comment? } to move a label.",
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
  // --- writes -----------------------------------------------------------------------------------
  noName: {
    summary: 'POST /api/v1/prompts with { "description": "x" }',
    value: invalid(promptCreateRequestSchema, { description: "x" }),
  },
  noBaseVersion: {
    summary: "POST /api/v1/prompts/{slug}/versions without baseVersion",
    value: invalid(versionCreateRequestSchema, { sections: [] }),
  },
  notJsonType: {
    summary: "A write sent as text/plain",
    value: {
      status: 415,
      error: "Send the body as application/json.",
      issues: [{ path: [], message: "unsupported content type" }],
    },
  },
  notJsonOrDotpromptType: {
    summary: "A prompt or version sent as text/plain",
    value: {
      status: 415,
      error: "Send the body as application/json or text/x-dotprompt.",
      issues: [{ path: [], message: "unsupported content type" }],
    },
  },
  writeTooLarge: {
    summary: `A write body over ${MAX_WRITE_BODY_BYTES} bytes`,
    value: bodyTooLargeProblem(MAX_WRITE_BODY_BYTES),
  },
  noWriteScope: {
    summary: "A token without the write scope",
    value: {
      status: 403,
      error: 'This token lacks the "write" scope.',
      issues: [{ path: [], message: "forbidden" }],
    },
  },
  labelOutsideToken: {
    summary: "A token limited to staging moving production",
    value: {
      status: 403,
      error: "This token is limited to the labels staging; name one of them.",
      issues: [{ path: [], message: "forbidden" }],
    },
  },
  protectedLabel: {
    summary: "A protected label moved by a token",
    value: answer(new ForbiddenError('"production" is protected: only an admin can move it.', "name")),
  },
  slugTaken: {
    summary: "POST /api/v1/prompts with a slug in use",
    value: answer(
      new ConflictError("prompt", 'The slug "support" is taken (perhaps by a prompt in the trash).', "slug"),
    ),
  },
  nameTaken: {
    summary: "A prompt of that name in the folder already",
    value: answer(new ConflictError("prompt", 'A prompt named "Support" already exists in this folder.', "name")),
  },
  versionConflict: {
    summary: "baseVersion 2 when the prompt is at version 3 (the body also has `versions`)",
    value: {
      ...answer(new VersionConflictError("prompt", "ckxyz", 2, 3)),
      versions: { base: exampleVersion(2, "Answer: {{question}}"), head: exampleVersion(3, "Reply to: {{question}}") },
    },
  },
  idempotencyReused: {
    summary: "An Idempotency-Key sent again with another body",
    value: {
      status: 422,
      error: "This Idempotency-Key was used for another request; use a new key for a new request.",
      issues: [{ path: ["Idempotency-Key"], message: "already used with a different request" }],
    },
  },
  idempotencyRunning: {
    summary: "An Idempotency-Key whose first request still runs",
    value: {
      status: 409,
      error: "A request with this Idempotency-Key is still running; retry in a moment.",
      issues: [{ path: ["Idempotency-Key"], message: "in progress" }],
    },
  },
  unauthenticated: {
    summary: "No session and no bearer token (with accounts on)",
    value: {
      status: 401,
      error: "Log in or send an API token (Authorization: Bearer …).",
      issues: [{ path: [], message: "unauthenticated" }],
    },
  },
  duplicateVariable: {
    summary: 'A version declaring { "name": "topic" } twice',
    value: answer(
      invalidFrom(promptDraftSchema.safeParse({ variables: [{ name: "topic" }, { name: "topic" }] }).error!),
    ),
  },
  noSuchVersion: {
    summary: "A label moved to a version the prompt does not have",
    value: answer(InvalidError.field("version", "That version does not exist for this prompt.")),
  },
  snippetExists: {
    summary: "POST /api/v1/snippets with a name in use",
    value: answer(new ConflictError("snippet", 'A snippet named "sign" already exists.', "name")),
  },
  snippetPinned: {
    summary: "Trashing a snippet a labelled version renders",
    value: answer(
      new ConflictError(
        "snippet",
        '"sign" cannot go to the trash: labelled versions render it — "Support reply" v1 (production). Move those labels to versions that do not include it first.',
        "name",
      ),
    ),
  },
  snippetNotInTrash: {
    summary: "Restoring a snippet that is not in the trash",
    value: answer(new ConflictError("snippet", 'The snippet "sign" is not in the trash.', "name")),
  },
  snippetCycle: {
    summary: "A snippet that includes itself",
    value: answer(InvalidError.field("template", 'A snippet cannot include itself: "sign" uses {{> sign}}.')),
  },
  snippetVersionConflict: {
    summary: "baseVersion 1 when the snippet is at version 2 (the body also has `versions`)",
    value: {
      ...answer(new VersionConflictError("snippet", "ckxyz", 1, 2)),
      versions: {
        base: { number: 1, template: "— The team", message: "", author: null, createdAt: "2026-01-01T00:00:00.000Z" },
        head: {
          number: 2,
          template: "— The {{team}} team",
          message: "",
          author: null,
          createdAt: "2026-01-02T00:00:00.000Z",
        },
      },
    },
  },
  badExportFolder: {
    summary: "GET /api/v1/export.zip?folder=a/../b",
    value: answer(invalidFrom(folderPathSchema.safeParse("a/../b").error!, { path: ["folder"], malformed: true })),
  },
  exportOff: {
    summary: "Any export with ENABLE_EXPORT=false",
    value: {
      status: 404,
      error: "Export is switched off on this instance (ENABLE_EXPORT=false).",
      issues: [{ path: [], message: "export is disabled" }],
    },
  },
  notInTrash: {
    summary: "Restoring a prompt that is not in the trash",
    value: answer(new ConflictError("prompt", '"Support" is not in the trash.', "slug")),
  },
} satisfies Record<string, { summary: string; value: Problem & { versions?: unknown } }>;
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
const read = (schema: JsonSchema, description: string, methods?: keyof typeof METHODS_OF) => ({
  "200": { ...json(schema, description), headers: READ_HEADERS },
  "304": { description: "Not modified: the If-None-Match ETag names the current body.", headers: READ_HEADERS },
  "405": methods
    ? problem(`Any other method (\`Allow: ${METHODS_OF[methods].allow}\`).`, `${methods}Methods`)
    : problem("Any method but GET or HEAD (`Allow: GET, HEAD`).", "readOnly"),
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

const labelNameParameter = {
  name: "name",
  in: "path",
  required: true,
  description: labelNameParamSchema.description,
  schema: inline(labelNameParamSchema),
};
const idempotencyKey = {
  name: "Idempotency-Key",
  in: "header",
  required: false,
  description:
    "Any 1–255 visible ASCII characters, new per intended write (a UUID): a retry with the same key and the same request gets the first answer again (with `Idempotent-Replayed: true`) and writes nothing; the same key with another request is a 422; while the first still runs, a 409. Keys belong to the caller (token or account) and are kept 24 hours.",
  schema: { type: "string", minLength: 1, maxLength: 255 },
};
const jsonBody = (schema: JsonSchema, description: string, dotprompt = false) => ({
  required: true,
  description,
  content: {
    [JSON_TYPE]: { schema },
    ...(dotprompt
      ? {
          "text/x-dotprompt": {
            schema: { type: "string", maxLength: 1_000_000 },
            description:
              "A .prompt file (dotprompt: YAML front matter and a Handlebars template with {{role}} blocks): role blocks become sections, the Picoschema input schema typed variables, model and config the settings. What the file does not hold comes from the query parameters.",
          },
        }
      : {}),
  },
});
const dotpromptQuery = (names: Record<string, string>) =>
  Object.entries(names).map(([name, description]) => ({
    name,
    in: "query",
    required: false,
    description: `Only with a text/x-dotprompt body: ${description}`,
    schema: { type: "string" },
  }));
/** The answers every write shares: auth, body type, size, and the idempotency key's. */
const writeProblems = (withBody: boolean, dotprompt = false) => ({
  "401": problem("No session and no valid bearer token.", "unauthenticated"),
  "403": problem("The token lacks the write scope, or its owner is a viewer.", "noWriteScope"),
  ...(withBody
    ? {
        "413": problem(`The body is larger than ${MAX_WRITE_BODY_BYTES} bytes.`, "writeTooLarge"),
        "415": dotprompt
          ? problem("The body is neither application/json nor text/x-dotprompt.", "notJsonOrDotpromptType")
          : problem("The body is not application/json.", "notJsonType"),
      }
    : {}),
});
const created = (schema: JsonSchema, description: string) => ({
  ...json(schema, description),
  headers: { Location: { description: "Where the new resource is read.", schema: { type: "string" } } },
});

function build(version: string) {
  const requests = z.registry<{ id: string }>();
  requests.add(renderRequestSchema, { id: "RenderRequest" });
  requests.add(bundleSchema, { id: "BundleInput" });
  requests.add(sectionInputSchema, { id: "SectionInput" });
  requests.add(variableSchema, { id: "VariableInput" });
  requests.add(modelSettingsSchema, { id: "ModelSettingsInput" });
  requests.add(promptCreateRequestSchema, { id: "PromptCreateRequest" });
  requests.add(versionCreateRequestSchema, { id: "VersionCreateRequest" });
  requests.add(labelMoveRequestSchema, { id: "LabelMoveRequest" });
  requests.add(snippetCreateRequestSchema, { id: "SnippetCreateRequest" });
  requests.add(snippetVersionRequestSchema, { id: "SnippetVersionRequest" });

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
  responses.add(snippetSchema.shape.version, { id: "SnippetVersion" });
  responses.add(labelMoveResultSchema, { id: "LabelMoveResult" });
  responses.add(changeRequestCreatedSchema, { id: "ChangeRequestCreated" });
  responses.add(trashResultSchema, { id: "TrashResult" });
  responses.add(promptRestoreResultSchema, { id: "PromptRestoreResult" });
  responses.add(snippetRestoreResultSchema, { id: "SnippetRestoreResult" });
  responses.add(promptConflictSchema, { id: "PromptConflict" });
  responses.add(snippetConflictSchema, { id: "SnippetConflict" });
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
      { name: "write", description: "Changes (write scope): create, version, label, trash, restore" },
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
            ...read(ref("PromptList"), "A page of prompts.", "prompts"),
            "400": problem("A query parameter is not valid or not known.", "badListQuery", "badFolder", "badCursor"),
          },
        },
        post: {
          operationId: "createPrompt",
          tags: ["prompts", "write"],
          summary: "Create a prompt with its first version",
          parameters: [
            idempotencyKey,
            ...dotpromptQuery({
              name: "the prompt's name (else the file's `name`).",
              folder: "the folder path.",
              tags: "tags, comma-separated.",
              slug: "the slug (else made from the name).",
              message: "the first version's message.",
            }),
          ],
          requestBody: jsonBody(ref("PromptCreateRequest"), "The prompt's details and its first version.", true),
          responses: {
            "201": created(ref("Prompt"), "The new prompt at version 1."),
            "400": problem("The body is not JSON or does not fit PromptCreateRequest.", "notJson", "noName"),
            ...writeProblems(true, true),
            "409": problem(
              "The slug is taken, a prompt of that name is in the folder, or the key's first request still runs.",
              "slugTaken",
              "nameTaken",
              "idempotencyRunning",
            ),
            "422": problem(
              "The draft is not valid (a variable declared twice, two conversation histories), or the Idempotency-Key was used with another request.",
              "duplicateVariable",
              "idempotencyReused",
            ),
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
            ...read(ref("Prompt"), "The prompt and the version asked for.", "prompt"),
            "400": problem("A query parameter is not valid or not known.", "badVersion", "unknownParameter"),
            "404": problem(
              "No prompt at this slug, or it has no such label or version.",
              "noPrompt",
              "noVersion",
              "noLabel",
            ),
          },
        },
        delete: {
          operationId: "trashPrompt",
          tags: ["prompts", "write"],
          summary: "Move a prompt to the trash",
          description: "Restore it with POST …/restore until the trash deletes it for good.",
          parameters: [slugParameter],
          responses: {
            "200": json(ref("TrashResult"), "In the trash."),
            ...writeProblems(false),
            "404": problem("No live prompt at this slug.", "noPrompt"),
          },
        },
      },
      [`${API_BASE}/prompts/{slug}/versions`]: {
        post: {
          operationId: "createVersion",
          tags: ["prompts", "write"],
          summary: "Add a version on top of the one it was based on",
          description:
            "Sections keep the builder's ids of the base version where position and kind match. When the prompt has a newer version than `baseVersion`, nothing is saved: 409 with `conflict` and both versions under `versions`. A version identical to its base (same content, same snippet versions) is a 409 too.",
          parameters: [
            slugParameter,
            idempotencyKey,
            ...dotpromptQuery({
              baseVersion: "the version the file was based on (required).",
              message: "the version's message.",
            }),
          ],
          requestBody: jsonBody(ref("VersionCreateRequest"), "The whole new version.", true),
          responses: {
            "201": created(ref("Prompt"), "The prompt at its new version."),
            "400": problem("The body is not JSON or does not fit VersionCreateRequest.", "notJson", "noBaseVersion"),
            ...writeProblems(true, true),
            "404": problem("No live prompt at this slug.", "noPrompt"),
            "409": {
              description:
                "The prompt has a newer version than baseVersion (PromptConflict, with both versions), nothing changed since the base, or the key's first request still runs.",
              content: {
                [PROBLEM_CONTENT_TYPE]: {
                  schema: ref("PromptConflict"),
                  examples: { versionConflict: PROBLEM_EXAMPLES.versionConflict },
                },
              },
            },
            "422": problem(
              "The draft is not valid (a variable declared twice, two conversation histories), or the Idempotency-Key was used with another request.",
              "duplicateVariable",
              "idempotencyReused",
            ),
          },
        },
      },
      [`${API_BASE}/prompts/{slug}/labels/{name}`]: {
        put: moveLabelOperation("moveLabel"),
        post: { ...moveLabelOperation("moveLabelByPost"), summary: "The same as PUT (for clients that only POST)" },
      },
      [`${API_BASE}/prompts/{slug}/restore`]: {
        post: {
          operationId: "restorePrompt",
          tags: ["prompts", "write"],
          summary: "Bring a prompt back from the trash",
          parameters: [slugParameter, idempotencyKey],
          responses: {
            "200": json(ref("PromptRestoreResult"), "Restored."),
            ...writeProblems(false),
            "404": problem("No prompt at this slug.", "noPrompt"),
            "409": problem("The prompt is not in the trash.", "notInTrash"),
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
      [`${API_BASE}/export.zip`]: {
        get: {
          operationId: "exportZip",
          tags: ["prompts"],
          summary: "A folder or the library as a zip of .prompt files",
          description:
            "Each prompt's newest version as `folder/slug.prompt` (paths relative to `folder`), each snippet as the partial `_name.prompt`, and `prompt-builder.json`: names, tags, version numbers and labels, which the files cannot hold. The same library gives the same bytes.",
          parameters: [
            {
              name: "folder",
              in: "query",
              required: false,
              description: 'Only this folder and its subfolders, e.g. "support".',
              schema: { type: "string" },
            },
          ],
          responses: {
            "200": {
              description: "The zip (`Content-Disposition: attachment`).",
              content: { "application/zip": { schema: { type: "string", contentMediaType: "application/zip" } } },
            },
            "400": problem("A folder path that is not valid, or an unknown parameter.", "badExportFolder"),
            "404": problem("Exports are turned off on this instance (ENABLE_EXPORT=false).", "exportOff"),
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
            ...read(ref("SnippetList"), "The snippets, by name.", "snippets"),
            "400": problem("A query parameter was given (this operation takes none).", "unexpectedParameter"),
          },
        },
        post: {
          operationId: "createSnippet",
          tags: ["snippets", "write"],
          summary: "Create a snippet with its first version",
          parameters: [idempotencyKey],
          requestBody: jsonBody(ref("SnippetCreateRequest"), "The snippet."),
          responses: {
            "201": created(ref("Snippet"), "The new snippet at version 1."),
            "400": problem("The body is not JSON or does not fit SnippetCreateRequest.", "notJson"),
            ...writeProblems(true),
            "409": problem("A snippet of that name exists (or is in the trash).", "snippetExists"),
            "422": problem(
              "A name that is not valid, a template that does not parse or includes itself.",
              "snippetCycle",
            ),
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
            ...read(ref("Snippet"), "The snippet and the version asked for.", "snippet"),
            "400": problem("A query parameter is not valid or not known.", "badSnippetVersion"),
            "404": problem("No live snippet of this name, or it has no such version.", "noSnippet"),
          },
        },
        delete: {
          operationId: "trashSnippet",
          tags: ["snippets", "write"],
          summary: "Move a snippet to the trash",
          parameters: [snippetNameParameter],
          responses: {
            "200": json(ref("TrashResult"), "In the trash."),
            ...writeProblems(false),
            "404": problem("No live snippet of this name.", "noSnippet"),
            "409": problem("A labelled prompt version pins this snippet.", "snippetPinned"),
          },
        },
      },
      [`${API_BASE}/snippets/{name}/versions`]: {
        post: {
          operationId: "createSnippetVersion",
          tags: ["snippets", "write"],
          summary: "Add a version of a snippet on top of the one it was based on",
          parameters: [snippetNameParameter, idempotencyKey],
          requestBody: jsonBody(ref("SnippetVersionRequest"), "The new template."),
          responses: {
            "201": created(ref("Snippet"), "The snippet at its new version."),
            "400": problem("The body is not JSON or does not fit SnippetVersionRequest.", "notJson"),
            ...writeProblems(true),
            "404": problem("No live snippet of this name.", "noSnippet"),
            "409": {
              description: "The snippet has a newer version than baseVersion (SnippetConflict, with both versions).",
              content: {
                [PROBLEM_CONTENT_TYPE]: {
                  schema: ref("SnippetConflict"),
                  examples: { snippetVersionConflict: PROBLEM_EXAMPLES.snippetVersionConflict },
                },
              },
            },
            "422": problem("A template that does not parse or includes itself.", "snippetCycle"),
          },
        },
      },
      [`${API_BASE}/snippets/{name}/restore`]: {
        post: {
          operationId: "restoreSnippet",
          tags: ["snippets", "write"],
          summary: "Bring a snippet back from the trash",
          parameters: [snippetNameParameter, idempotencyKey],
          responses: {
            "200": json(ref("SnippetRestoreResult"), "Restored."),
            ...writeProblems(false),
            "404": problem("No snippet of this name.", "noSnippet"),
            "409": problem("The snippet is not in the trash.", "snippetNotInTrash"),
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
      [`${API_BASE}/import/zip`]: {
        post: {
          operationId: "importZip",
          tags: ["transfer"],
          summary: "Import a zip of .prompt files",
          description:
            "A zip as GET /api/v1/export.zip makes it (or `.prompt` files zipped by hand): `dir/name.prompt` → a prompt in folder `dir` whose sections follow the role blocks, `_name.prompt` → a snippet, `prompt-builder.json` (optional) → slugs, names, tags and snippet descriptions. Version numbers and labels in the manifest are not taken. The zip's directory is checked before anything is inflated (at most 5,000 entries, 2 MiB per entry and 32 MiB in all once inflated, 100:1 compression, no absolute, `..`, backslash or duplicate paths, only `.prompt` files and the manifest); then it is imported like a bundle: one transaction, every problem with the zip entry as its path, nothing written. Needs the write scope. docs/bundle-format.md, decision 129.",
          parameters: queryParameters(importQuerySchema),
          requestBody: {
            required: true,
            content: { "application/zip": { schema: { type: "string", contentMediaType: "application/zip" } } },
          },
          responses: {
            "200": json(ref("ImportReport"), "What was (or, with dryRun, would be) imported."),
            "400": problem(
              "Not a zip this instance reads (damaged, ZIP64, an entry that inflates past its header), or a query parameter is wrong.",
              "zipNotZip",
            ),
            "405": problem("Any method but POST.", "zipGet"),
            "413": problem("The zip is larger than IMPORT_MAX_BYTES (2 MiB by default).", "zipTooLarge"),
            "415": problem("The body is not sent as application/zip.", "zipType"),
            "422": problem(
              "The zip or its files have problems (limits, paths, other files, encryption, a .prompt file that does not read, an unknown manifest formatVersion, a snippet cycle, a clash the policy cannot settle); nothing was written.",
              "zipTraversal",
              "zipBomb",
            ),
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
