/**
 * The served OpenAPI document against the production build, on SQLite and PostgreSQL: it is a
 * well-formed OpenAPI 3.1 document whose refs resolve, and every documented operation, called for
 * real with valid and invalid input, answers with a status the document lists and a body that fits
 * the schema it gives for that status. The problem examples are exactly what the server answers.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "~/server/db.server";
import { createDb } from "~/server/db.server";
import { checkReadiness } from "~/server/health.server";
import { moveLabel } from "~/models/labels.server";
import { createPrompt, saveVersion } from "~/models/prompt-store.server";
import { createSnippet } from "~/models/snippets.server";
import { saveDefaultTestValues } from "~/models/test-values.server";
import { DATABASE_KINDS } from "../support/databases";
import { openApiSchemas, schemasIn } from "../support/openapi-schemas";
import { startServer, type RunningServer } from "../support/server";
import { makeZip, patchEntry } from "../support/zip-craft";

type Json = Record<string, unknown>;
type Operation = {
  operationId: string;
  parameters?: Array<{ name: string; in: string; required?: boolean; schema: Json }>;
  requestBody?: Json;
  responses: Record<
    string,
    { content?: Record<string, { schema: Json; examples?: Record<string, { value: unknown }> }> }
  >;
};
type Doc = {
  openapi: string;
  info: { title: string; version: string };
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Json> };
};

const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/** One real request: the documented path and method it exercises, and the status it must get. */
type Call = {
  path: string;
  method: "get" | "post" | "put" | "delete";
  /** Headers sent besides the content type (an Idempotency-Key). */
  headers?: Record<string, string>;
  /** The body's media type (default application/json). */
  type?: string;
  /** The answer's media type when it is not JSON (a zip, a Markdown file). */
  media?: string;
  url: string;
  body?: unknown;
  raw?: string | Uint8Array;
  status: number;
  field?: string;
  example?: string;
  /** The HTTP method sent, when it is not the documented operation's (a 405). */
  send?: string;
  /** Send the ETag a first GET returned as If-None-Match (a 304). */
  conditional?: boolean;
};

const EMPTY_BUNDLE = { formatVersion: 1, folders: [], tags: [], snippets: [], prompts: [] };
const LANGFUSE = [
  {
    name: "movie-critic",
    version: 1,
    type: "text",
    prompt: "As a {{level}} critic, do you like {{movie}}?",
    config: { model: "gpt-4o", temperature: 0.5 },
    labels: ["production", "latest"],
    tags: ["movies"],
  },
];

const LABEL = "/api/v1/prompts/{slug}/labels/{name}";
const CALLS: Call[] = [
  { path: LABEL, method: "put", url: "/api/v1/prompts/support-reply/labels/beta", body: { version: 1 }, status: 200 },
  {
    path: LABEL,
    method: "put",
    url: "/api/v1/prompts/support-reply/labels/beta",
    body: { version: 0 },
    status: 400,
    field: "version",
    example: "badLabelMove",
  },
  {
    path: LABEL,
    method: "put",
    url: "/api/v1/prompts/support-reply/labels/beta",
    raw: "{",
    status: 400,
    example: "notJson",
  },
  {
    path: LABEL,
    method: "put",
    url: "/api/v1/prompts/nope/labels/beta",
    body: { version: 1 },
    status: 404,
    field: "slug",
    example: "noPrompt",
  },
  {
    path: LABEL,
    method: "put",
    url: "/api/v1/prompts/support-reply/labels/beta",
    body: { version: 99 },
    status: 422,
    field: "version",
    example: "noVersionToLabel",
  },
  {
    path: LABEL,
    method: "put",
    url: "/api/v1/prompts/support-reply/labels/beta",
    raw: JSON.stringify({ version: 1, comment: "x".repeat(20_000) }),
    status: 413,
    example: "labelMoveTooLarge",
  },
  {
    path: LABEL,
    method: "put",
    send: "GET",
    url: "/api/v1/prompts/support-reply/labels/beta",
    status: 405,
    example: "putOnly",
  },
  {
    path: LABEL,
    method: "post",
    send: "GET",
    url: "/api/v1/prompts/support-reply/labels/beta",
    status: 405,
    example: "putOnly",
  },
  {
    path: LABEL,
    method: "put",
    url: "/api/v1/prompts/support-reply/labels/beta",
    raw: "version=1",
    type: "text/plain",
    status: 415,
    example: "notJsonType",
  },
  { path: "/api/v1/prompts", method: "get", url: "/api/v1/prompts", status: 200 },
  {
    path: "/api/v1/prompts",
    method: "get",
    url: "/api/v1/prompts?q=customers&tag=support&folder=support&label=production&favorite=0&sort=name&limit=1",
    status: 200,
  },
  {
    path: "/api/v1/prompts",
    method: "get",
    url: "/api/v1/prompts?limit=1000",
    status: 400,
    field: "limit",
    example: "badListQuery",
  },
  {
    path: "/api/v1/prompts",
    method: "get",
    url: "/api/v1/prompts?folder=a/../b",
    status: 400,
    field: "folder",
    example: "badFolder",
  },
  {
    path: "/api/v1/prompts",
    method: "get",
    url: "/api/v1/prompts?cursor=garbage",
    status: 400,
    field: "cursor",
    example: "badCursor",
  },
  { path: "/api/v1/prompts/{slug}", method: "get", url: "/api/v1/prompts/support-reply", status: 200 },
  { path: "/api/v1/prompts/{slug}", method: "get", url: "/api/v1/prompts/support-reply?label=production", status: 200 },
  { path: "/api/v1/prompts/{slug}", method: "get", url: "/api/v1/prompts/support-reply?version=1", status: 200 },
  {
    path: "/api/v1/prompts/{slug}",
    method: "get",
    url: "/api/v1/prompts/support-reply?version=abc",
    status: 400,
    field: "version",
    example: "badVersion",
  },
  {
    path: "/api/v1/prompts/{slug}",
    method: "get",
    url: "/api/v1/prompts/nope",
    status: 404,
    field: "slug",
    example: "noPrompt",
  },
  {
    path: "/api/v1/prompts/{slug}",
    method: "get",
    url: "/api/v1/prompts/support-reply?version=99",
    status: 404,
    field: "version",
    example: "noVersion",
  },
  {
    path: "/api/v1/prompts/{slug}",
    method: "get",
    url: "/api/v1/prompts/support-reply?label=canary",
    status: 404,
    field: "label",
    example: "noLabel",
  },
  {
    path: "/api/v1/prompts/{slug}/render",
    method: "post",
    url: "/api/v1/prompts/support-reply/render",
    body: { variables: { question: "Hi?" } },
    status: 200,
  },
  ...(["plain", "markdown", "xml", "openai", "anthropic", "dotprompt"] as const).map((target): Call => ({
    path: "/api/v1/prompts/{slug}/render",
    method: "post",
    url: "/api/v1/prompts/support-reply/render",
    body: { label: "production", target, variables: { product: "Widget", question: "Where?" } },
    status: 200,
  })),
  {
    path: "/api/v1/prompts/{slug}/render",
    method: "post",
    url: "/api/v1/prompts/support-reply/render",
    raw: "",
    status: 422,
    field: "variables",
  },
  {
    path: "/api/v1/prompts/{slug}/render",
    method: "post",
    url: "/api/v1/prompts/support-reply/render",
    raw: "{not json",
    status: 400,
    example: "notJson",
  },
  {
    path: "/api/v1/prompts/{slug}/render",
    method: "post",
    url: "/api/v1/prompts/support-reply/render",
    body: { target: "pdf" },
    status: 400,
    field: "target",
    example: "badTarget",
  },
  {
    path: "/api/v1/prompts/{slug}/render",
    method: "post",
    url: "/api/v1/prompts/support-reply/render",
    body: { unknown: 1 },
    status: 400,
    example: "unknownField",
  },
  {
    path: "/api/v1/prompts/{slug}/render",
    method: "post",
    url: "/api/v1/prompts/support-reply/render",
    body: { variables: { question: { nested: { deep: true } } } },
    status: 400,
    field: "variables",
  },
  {
    path: "/api/v1/prompts/{slug}/render",
    method: "post",
    url: "/api/v1/prompts/nope/render",
    body: {},
    status: 404,
    field: "slug",
    example: "noPrompt",
  },
  {
    path: "/api/v1/prompts/{slug}/render",
    method: "post",
    url: "/api/v1/prompts/support-reply/render",
    body: { label: "canary" },
    status: 404,
    field: "label",
    example: "noLabel",
  },
  {
    path: "/api/v1/prompts/{slug}/render",
    method: "post",
    url: "/api/v1/prompts/support-reply/render",
    raw: " ".repeat(1_000_001),
    status: 413,
    example: "tooLarge",
  },
  {
    path: "/api/v1/prompts/{slug}/render",
    method: "post",
    url: "/api/v1/prompts/support-reply/render",
    body: { label: "production", variables: { product: "W" } },
    status: 422,
    field: "variables",
    example: "missingVariable",
  },
  {
    path: "/api/v1/prompts/{slug}/render",
    method: "post",
    url: "/api/v1/prompts/support-reply/render",
    body: { label: "production", variables: { product: "W", question: "Q", qestion: "Hi" } },
    status: 422,
    field: "variables",
    example: "unknownVariable",
  },
  {
    path: "/api/v1/prompts/{slug}/render",
    method: "post",
    send: "GET",
    url: "/api/v1/prompts/support-reply/render",
    status: 405,
    example: "postOnly",
  },
  { path: "/api/v1/prompts", method: "get", url: "/api/v1/prompts", status: 304, conditional: true },
  {
    path: "/api/v1/prompts",
    method: "get",
    send: "DELETE",
    url: "/api/v1/prompts",
    status: 405,
    example: "promptsMethods",
  },
  {
    path: "/api/v1/prompts/{slug}",
    method: "get",
    url: "/api/v1/prompts/support-reply?label=production",
    status: 304,
    conditional: true,
  },
  {
    path: "/api/v1/prompts/{slug}",
    method: "get",
    url: "/api/v1/prompts/support-reply?lable=production",
    status: 400,
    field: "lable",
    example: "unknownParameter",
  },
  {
    path: "/api/v1/prompts/{slug}",
    method: "get",
    send: "PUT",
    url: "/api/v1/prompts/support-reply",
    status: 405,
    example: "promptMethods",
  },
  { path: "/api/v1/snippets", method: "get", url: "/api/v1/snippets", status: 200 },
  { path: "/api/v1/snippets", method: "get", url: "/api/v1/snippets", status: 304, conditional: true },
  {
    path: "/api/v1/snippets",
    method: "get",
    url: "/api/v1/snippets?limit=5",
    status: 400,
    field: "limit",
    example: "unexpectedParameter",
  },
  {
    path: "/api/v1/snippets",
    method: "get",
    send: "PUT",
    url: "/api/v1/snippets",
    status: 405,
    example: "snippetsMethods",
  },
  { path: "/api/v1/snippets/{name}", method: "get", url: "/api/v1/snippets/sign", status: 200 },
  { path: "/api/v1/snippets/{name}", method: "get", url: "/api/v1/snippets/sign?version=1", status: 200 },
  { path: "/api/v1/snippets/{name}", method: "get", url: "/api/v1/snippets/sign", status: 304, conditional: true },
  {
    path: "/api/v1/snippets/{name}",
    method: "get",
    url: "/api/v1/snippets/sign?version=0",
    status: 400,
    field: "version",
    example: "badSnippetVersion",
  },
  {
    path: "/api/v1/snippets/{name}",
    method: "get",
    url: "/api/v1/snippets/nope",
    status: 404,
    field: "name",
    example: "noSnippet",
  },
  {
    path: "/api/v1/snippets/{name}",
    method: "get",
    send: "PUT",
    url: "/api/v1/snippets/sign",
    status: 405,
    example: "snippetMethods",
  },
  { path: "/api/v1/export", method: "get", url: "/api/v1/export", status: 200 },
  { path: "/api/v1/export", method: "get", url: "/api/v1/export?prompt=support-reply", status: 200 },
  { path: "/api/v1/export", method: "get", url: "/api/v1/export?promt=x", status: 400, field: "promt" },
  {
    path: "/api/v1/export",
    method: "get",
    url: "/api/v1/export?prompt=nope",
    status: 404,
    field: "prompt",
    example: "noExportPrompt",
  },
  { path: "/api/v1/export", method: "get", send: "POST", url: "/api/v1/export", status: 405, example: "readOnly" },
  { path: "/api/v1/import", method: "post", url: "/api/v1/import?dryRun=true", body: EMPTY_BUNDLE, status: 200 },
  { path: "/api/v1/import", method: "post", url: "/api/v1/import", raw: "{not json", status: 400, example: "notJson" },
  {
    path: "/api/v1/import",
    method: "post",
    url: "/api/v1/import",
    raw: JSON.stringify({ ...EMPTY_BUNDLE, pad: " ".repeat(2 * 1024 * 1024) }),
    status: 413,
    example: "importTooLarge",
  },
  {
    path: "/api/v1/import",
    method: "post",
    url: "/api/v1/import",
    body: { formatVersion: 2 },
    status: 422,
    field: "formatVersion",
    example: "unknownFormatVersion",
  },
  { path: "/api/v1/import", method: "post", send: "GET", url: "/api/v1/import", status: 405, example: "importGet" },
  {
    path: "/api/v1/import/langfuse",
    method: "post",
    url: "/api/v1/import/langfuse?dryRun=true",
    body: LANGFUSE,
    status: 200,
  },
  {
    path: "/api/v1/import/langfuse",
    method: "post",
    url: "/api/v1/import/langfuse",
    raw: "[",
    status: 400,
    example: "notJson",
  },
  {
    path: "/api/v1/import/langfuse",
    method: "post",
    url: "/api/v1/import/langfuse",
    raw: JSON.stringify([{ pad: " ".repeat(2 * 1024 * 1024) }]),
    status: 413,
    example: "importTooLarge",
  },
  {
    path: "/api/v1/import/langfuse",
    method: "post",
    url: "/api/v1/import/langfuse",
    body: { name: "x" },
    status: 422,
    example: "notLangfuse",
  },
  { path: "/api/v1/import/langfuse", method: "post", send: "GET", url: "/api/v1/import/langfuse", status: 405 },
  {
    path: "/api/v1/import/zip",
    method: "post",
    url: "/api/v1/import/zip?dryRun=true",
    type: "application/zip",
    raw: makeZip({ "greet.prompt": "---\nmodel: openai/gpt-4o\n---\nHello\n" }),
    status: 200,
  },
  {
    path: "/api/v1/import/zip",
    method: "post",
    url: "/api/v1/import/zip",
    type: "application/zip",
    raw: "not a zip at all, just some text",
    status: 400,
    example: "zipNotZip",
  },
  {
    path: "/api/v1/import/zip",
    method: "post",
    url: "/api/v1/import/zip",
    type: "application/zip",
    raw: new Uint8Array(2 * 1024 * 1024 + 1),
    status: 413,
    example: "zipTooLarge",
  },
  {
    path: "/api/v1/import/zip",
    method: "post",
    url: "/api/v1/import/zip",
    raw: "{}",
    status: 415,
    example: "zipType",
  },
  {
    path: "/api/v1/import/zip",
    method: "post",
    url: "/api/v1/import/zip",
    type: "application/zip",
    raw: makeZip({ "../x.prompt": "Hello" }),
    status: 422,
    field: "../x.prompt",
    example: "zipTraversal",
  },
  {
    path: "/api/v1/import/zip",
    method: "post",
    url: "/api/v1/import/zip",
    type: "application/zip",
    raw: patchEntry(makeZip({ "bomb.prompt": new Uint8Array(1024 * 1024) }, 9), "bomb.prompt", { size: 1_000_000_000 }),
    status: 422,
    example: "zipBomb",
  },
  {
    path: "/api/v1/import/zip",
    method: "post",
    send: "GET",
    url: "/api/v1/import/zip",
    status: 405,
    example: "zipGet",
  },
  {
    path: "/api/v1/prompts/{slug}/export.md",
    method: "get",
    url: "/api/v1/prompts/support-reply/export.md?label=production",
    status: 200,
    media: "text/markdown",
  },
  {
    path: "/api/v1/prompts/{slug}/export.md",
    method: "get",
    url: "/api/v1/prompts/support-reply/export.md?version=abc",
    status: 400,
    field: "version",
    example: "badVersion",
  },
  {
    path: "/api/v1/prompts/{slug}/export.md",
    method: "get",
    url: "/api/v1/prompts/nope/export.md",
    status: 404,
    field: "slug",
    example: "noPrompt",
  },
  {
    path: "/api/v1/prompts/{slug}/export.md",
    method: "get",
    send: "POST",
    url: "/api/v1/prompts/support-reply/export.md",
    status: 405,
    example: "readOnly",
  },
  { path: "/api/v1/schemas/bundle.json", method: "get", url: "/api/v1/schemas/bundle.json", status: 200 },
  {
    path: "/api/v1/schemas/bundle.json",
    method: "get",
    send: "POST",
    url: "/api/v1/schemas/bundle.json",
    status: 405,
    example: "readOnly",
  },
  { path: "/api/health", method: "get", url: "/api/health", status: 200 },
  { path: "/api/health", method: "get", send: "POST", url: "/api/health", status: 405, example: "readOnly" },
  { path: "/healthz", method: "get", url: "/healthz", status: 200 },
  { path: "/api/v1/openapi.json", method: "get", url: "/api/v1/openapi.json", status: 200 },
  {
    path: "/api/v1/openapi.json",
    method: "get",
    send: "POST",
    url: "/api/v1/openapi.json",
    status: 405,
    example: "readOnly",
  },
  {
    path: "/api/v1/export.zip",
    method: "get",
    url: "/api/v1/export.zip?folder=support",
    status: 200,
    media: "application/zip",
  },
  {
    path: "/api/v1/export.zip",
    method: "get",
    url: "/api/v1/export.zip?folder=a/../b",
    status: 400,
    field: "folder",
    example: "badExportFolder",
  },
  // --- the write API, after the reads (they change the library) ---------------------------------
  ...writeCalls(),
];

/** The write operations, each status they document (401/403 need accounts: see WITH_ACCOUNTS). */
function writeCalls(): Call[] {
  const task = (template: string) => ({ kind: "task", title: "Task", template });
  const P = "/api/v1/prompts";
  const S = "/api/v1/snippets";
  const big = " ".repeat(2_000_001);
  return [
    {
      path: P,
      method: "post",
      url: P,
      body: { name: "Created", folder: "made", sections: [task("Hi {{who}}")], variables: [{ name: "who" }] },
      status: 201,
    },
    { path: P, method: "post", url: P, body: { description: "x" }, status: 400, field: "name", example: "noName" },
    { path: P, method: "post", url: P, raw: "{not json", status: 400, example: "notJson" },
    {
      path: P,
      method: "post",
      url: P,
      raw: "name=x",
      type: "text/plain",
      status: 415,
      example: "notJsonOrDotpromptType",
    },
    { path: P, method: "post", url: P, raw: big, status: 413, example: "writeTooLarge" },
    { path: P, method: "post", url: P, body: { name: "Support reply", folder: "support" }, status: 409, field: "name" },
    { path: P, method: "post", url: P, body: { name: "Other", slug: "support-reply" }, status: 409, field: "slug" },
    {
      path: P,
      method: "post",
      url: P,
      body: { name: "Broken", variables: [{ name: "topic" }, { name: "topic" }] },
      status: 422,
      field: "variables",
      example: "duplicateVariable",
    },
    { path: P, method: "post", url: P, body: { name: "Keyed" }, headers: { "Idempotency-Key": "k-1" }, status: 201 },
    { path: P, method: "post", url: P, body: { name: "Keyed" }, headers: { "Idempotency-Key": "k-1" }, status: 201 },
    {
      path: P,
      method: "post",
      url: P,
      body: { name: "Keyed 2" },
      headers: { "Idempotency-Key": "k-1" },
      status: 422,
      example: "idempotencyReused",
    },
    // Versions: support-reply is at version 2.
    {
      path: `${P}/{slug}/versions`,
      method: "post",
      url: `${P}/support-reply/versions`,
      body: { baseVersion: 2, sections: [task("v3 {{question}}")], variables: [{ name: "question", type: "text" }] },
      status: 201,
    },
    {
      path: `${P}/{slug}/versions`,
      method: "post",
      url: `${P}/support-reply/versions`,
      body: { baseVersion: 1, sections: [task("late")] },
      status: 409,
      field: "baseVersion",
    },
    {
      path: `${P}/{slug}/versions`,
      method: "post",
      url: `${P}/support-reply/versions`,
      body: { sections: [] },
      status: 400,
      field: "baseVersion",
      example: "noBaseVersion",
    },
    {
      path: `${P}/{slug}/versions`,
      method: "post",
      url: `${P}/support-reply/versions`,
      raw: "{not json",
      status: 400,
      example: "notJson",
    },
    {
      path: `${P}/{slug}/versions`,
      method: "post",
      url: `${P}/support-reply/versions`,
      raw: big,
      status: 413,
      example: "writeTooLarge",
    },
    {
      path: `${P}/{slug}/versions`,
      method: "post",
      url: `${P}/support-reply/versions`,
      raw: "x",
      type: "text/plain",
      status: 415,
      example: "notJsonOrDotpromptType",
    },
    {
      path: `${P}/{slug}/versions`,
      method: "post",
      url: `${P}/nope/versions`,
      body: { baseVersion: 1 },
      status: 404,
      field: "slug",
      example: "noPrompt",
    },
    {
      path: `${P}/{slug}/versions`,
      method: "post",
      url: `${P}/support-reply/versions`,
      body: { baseVersion: 3, variables: [{ name: "topic" }, { name: "topic" }] },
      status: 422,
      field: "variables",
      example: "duplicateVariable",
    },
    // A .prompt file as the body: a new prompt, a new version, and a file that does not read.
    {
      path: P,
      method: "post",
      url: `${P}?name=From%20a%20file&folder=files`,
      type: "text/x-dotprompt",
      raw: '---\nmodel: "openai/gpt-4o"\ninput:\n  schema:\n    "topic": "string, What about"\n---\n{{role "system"}}\n{{! Role }}\nBe brief.\n\n{{role "user"}}\n{{! Task }}\nWrite about {{topic}}.\n',
      status: 201,
    },
    {
      path: P,
      method: "post",
      url: `${P}?name=Broken%20file`,
      type: "text/x-dotprompt",
      raw: "---\nmodel: [unclosed\n---\nHi\n",
      status: 422,
      field: "file",
    },
    {
      path: P,
      method: "post",
      url: `${P}?nmae=typo`,
      type: "text/x-dotprompt",
      raw: "Hi\n",
      status: 400,
      field: "nmae",
    },
    {
      path: `${P}/{slug}/versions`,
      method: "post",
      url: `${P}/from-a-file/versions?baseVersion=1&message=edited`,
      type: "text/x-dotprompt",
      raw: '---\nmodel: "openai/gpt-4o"\n---\n{{role "user"}}\n{{! Task }}\nWrite a haiku.\n',
      status: 201,
    },
    {
      path: `${P}/{slug}/versions`,
      method: "post",
      url: `${P}/from-a-file/versions`,
      type: "text/x-dotprompt",
      raw: "Hi\n",
      status: 400,
      field: "baseVersion",
    },
    // Labels.
    {
      path: `${P}/{slug}/labels/{name}`,
      method: "post",
      url: `${P}/support-reply/labels/staging`,
      body: { version: 1 },
      status: 200,
    },
    {
      path: `${P}/{slug}/labels/{name}`,
      method: "post",
      url: `${P}/support-reply/labels/staging`,
      body: {},
      status: 400,
      field: "version",
    },
    {
      path: `${P}/{slug}/labels/{name}`,
      method: "post",
      url: `${P}/support-reply/labels/staging`,
      raw: "{not json",
      status: 400,
      example: "notJson",
    },
    {
      path: `${P}/{slug}/labels/{name}`,
      method: "post",
      url: `${P}/support-reply/labels/staging`,
      raw: big,
      status: 413,
      example: "labelMoveTooLarge",
    },
    {
      path: `${P}/{slug}/labels/{name}`,
      method: "post",
      url: `${P}/support-reply/labels/staging`,
      raw: "x",
      type: "text/plain",
      status: 415,
      example: "notJsonType",
    },
    {
      path: `${P}/{slug}/labels/{name}`,
      method: "post",
      url: `${P}/nope/labels/staging`,
      body: { version: 1 },
      status: 404,
      example: "noPrompt",
    },
    {
      path: `${P}/{slug}/labels/{name}`,
      method: "post",
      url: `${P}/support-reply/labels/staging`,
      body: { version: 99 },
      status: 422,
      field: "version",
      example: "noSuchVersion",
    },
    // Trash and restore.
    { path: `${P}/{slug}`, method: "delete", url: `${P}/created`, status: 200 },
    { path: `${P}/{slug}`, method: "delete", url: `${P}/created`, status: 404, example: "noPrompt" },
    { path: `${P}/{slug}/restore`, method: "post", url: `${P}/created/restore`, status: 200 },
    { path: `${P}/{slug}/restore`, method: "post", url: `${P}/created/restore`, status: 409, field: "slug" },
    { path: `${P}/{slug}/restore`, method: "post", url: `${P}/nope/restore`, status: 404, example: "noPrompt" },
    // Snippets.
    { path: S, method: "post", url: S, body: { name: "greet", template: "Hello {{who}}" }, status: 201 },
    { path: S, method: "post", url: S, body: { template: "x" }, status: 400, field: "name" },
    { path: S, method: "post", url: S, raw: big, status: 413, example: "writeTooLarge" },
    { path: S, method: "post", url: S, raw: "x", type: "text/plain", status: 415, example: "notJsonType" },
    {
      path: S,
      method: "post",
      url: S,
      body: { name: "sign", template: "x" },
      status: 409,
      field: "name",
      example: "snippetExists",
    },
    { path: S, method: "post", url: S, body: { name: "loop", template: "{{> loop}}" }, status: 422, field: "template" },
    {
      path: `${S}/{name}/versions`,
      method: "post",
      url: `${S}/greet/versions`,
      body: { baseVersion: 1, template: "Hi {{who}}" },
      status: 201,
    },
    {
      path: `${S}/{name}/versions`,
      method: "post",
      url: `${S}/greet/versions`,
      body: { baseVersion: 1, template: "late" },
      status: 409,
      field: "baseVersion",
    },
    {
      path: `${S}/{name}/versions`,
      method: "post",
      url: `${S}/greet/versions`,
      body: { template: "x" },
      status: 400,
      field: "baseVersion",
    },
    {
      path: `${S}/{name}/versions`,
      method: "post",
      url: `${S}/greet/versions`,
      raw: big,
      status: 413,
      example: "writeTooLarge",
    },
    {
      path: `${S}/{name}/versions`,
      method: "post",
      url: `${S}/greet/versions`,
      raw: "x",
      type: "text/plain",
      status: 415,
      example: "notJsonType",
    },
    {
      path: `${S}/{name}/versions`,
      method: "post",
      url: `${S}/nope/versions`,
      body: { baseVersion: 1, template: "x" },
      status: 404,
      field: "name",
    },
    {
      path: `${S}/{name}/versions`,
      method: "post",
      url: `${S}/greet/versions`,
      body: { baseVersion: 2, template: "{{> greet}}" },
      status: 422,
      field: "template",
    },
    { path: `${S}/{name}`, method: "delete", url: `${S}/sign`, status: 409, field: "name" },
    { path: `${S}/{name}`, method: "delete", url: `${S}/greet`, status: 200 },
    { path: `${S}/{name}`, method: "delete", url: `${S}/greet`, status: 404, field: "name" },
    { path: `${S}/{name}/restore`, method: "post", url: `${S}/greet/restore`, status: 200 },
    {
      path: `${S}/{name}/restore`,
      method: "post",
      url: `${S}/greet/restore`,
      status: 409,
      field: "name",
    },
    { path: `${S}/{name}/restore`, method: "post", url: `${S}/nope/restore`, status: 404, field: "name" },
  ];
}

/**
 * The write operations' 401 and 403 need accounts (this server runs without): they are called for
 * real, against this same document, in tests/integration/api-write.test.ts.
 */
const WITH_ACCOUNTS = /^(post|put|delete) \S+ (401|403)$/;
const CONFLICT_SCHEMAS = ["Problem", "PromptConflict", "SnippetConflict"].map((id) => ({
  $ref: `#/components/schemas/${id}`,
}));

/** Documented responses no real request here can produce; each is checked another way below. */
// The 202 and 409 of a label move need accounts (a protected label moved by an editor or a token):
// tests/integration/auth-matrix.test.ts exercises them.
const NOT_CALLED = new Set([
  "get /api/health 503",
  "put /api/v1/prompts/{slug}/labels/{name} 202",
  "put /api/v1/prompts/{slug}/labels/{name} 409",
  // The same for POST: tests/integration/api-write.test.ts calls both, with accounts.
  "post /api/v1/prompts/{slug}/labels/{name} 202",
  "post /api/v1/prompts/{slug}/labels/{name} 409",
  // With ENABLE_EXPORT=false: tests/integration/prompt-zip.test.ts.
  "get /api/v1/export.zip 404",
]);

/** Problems (4xx) are RFC 9457 problem details; everything else is plain JSON. */
const mediaType = (status: number) => (status >= 400 && status < 500 ? "application/problem+json" : "application/json");

function responseSchema(doc: Doc, path: string, method: string, status: number) {
  const response = doc.paths[path]?.[method]?.responses[String(status)];
  return response?.content?.[mediaType(status)];
}

async function seed(databaseUrl: string) {
  const { db } = createDb(databaseUrl);
  await createSnippet(db, { name: "sign", template: "— The {{team}} team" });
  const { prompt } = await createPrompt(db, {
    meta: { name: "Support reply", description: "Replies to customers", folder: "support", tags: ["support"] },
    draft: {
      sections: [
        {
          kind: "system",
          title: "Role",
          template: "You are a support agent for {{product}}.",
          enabled: true,
          examples: [],
        },
        {
          kind: "examples",
          title: "Examples",
          template: "",
          enabled: true,
          examples: [{ input: "Hi", output: "Hello!" }],
        },
        { kind: "task", title: "Task", template: "Answer: {{question}}\n{{> sign}}", enabled: true, examples: [] },
        { kind: "constraints", title: "Off", template: "unused", enabled: false, examples: [] },
      ],
      variables: [
        { name: "product", type: "string", required: true, enumValues: [], description: "The product" },
        { name: "question", type: "text", required: true, enumValues: [], description: "" },
        { name: "team", type: "string", required: false, default: "Acme", enumValues: [], description: "" },
        {
          name: "tone",
          type: "enum",
          required: false,
          default: "warm",
          enumValues: ["warm", "formal"],
          description: "",
        },
      ],
      modelSettings: { model: "claude-haiku-4-5", temperature: 0.3, maxTokens: 500, stop: ["</answer>"] },
    },
  });
  // A label points only at a version that renders with its defaults and saved test values.
  await saveDefaultTestValues(db, prompt.slug, { product: "Acme", question: "Where is my order?" });
  await moveLabel(db, { promptId: prompt.id, name: "production", version: 1, actor: null, authEnabled: false });
  await saveVersion(db, {
    promptId: prompt.id,
    baseVersion: 1,
    draft: {
      sections: [{ kind: "task", title: "Task", template: "v2 answers {{question}}", enabled: true, examples: [] }],
      variables: [{ name: "question", type: "text", required: true, enumValues: [], description: "" }],
      modelSettings: { model: "gpt-4o", stop: [] },
    },
  });
  await db.$disconnect();
}

describe.each(DATABASE_KINDS)("OpenAPI document — $label", ({ kind, skip }) => {
  let server: RunningServer;
  let doc: Doc;
  let served: Response;
  let validate: ReturnType<typeof openApiSchemas>["validate"];
  let compile: ReturnType<typeof openApiSchemas>["compile"];
  beforeAll(async () => {
    if (skip) return;
    server = await startServer({ database: kind, seed: false });
    await seed(server.databaseUrl);
    served = await fetch(`${server.baseUrl}/api/v1/openapi.json`);
    doc = (await served.clone().json()) as Doc;
    ({ validate, compile } = openApiSchemas(doc));
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
  });

  it.skipIf(skip)("is served as cacheable JSON at /api/v1/openapi.json", () => {
    expect(served.status).toBe(200);
    expect(served.headers.get("content-type")).toMatch(/^application\/json/);
    expect(served.headers.get("cache-control")).toMatch(/max-age=\d+/);
  });

  it.skipIf(skip)("is a well-formed OpenAPI 3.1 document whose refs all resolve", () => {
    expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
    expect(doc.info.title).toBeTruthy();
    expect(doc.info.version).toBeTruthy();
    const paths = Object.keys(doc.paths);
    expect(paths.sort()).toEqual([
      "/api/health",
      "/api/v1/export",
      "/api/v1/export.zip",
      "/api/v1/import",
      "/api/v1/import/langfuse",
      "/api/v1/import/zip",
      "/api/v1/openapi.json",
      "/api/v1/prompts",
      "/api/v1/prompts/{slug}",
      "/api/v1/prompts/{slug}/export.md",
      "/api/v1/prompts/{slug}/labels/{name}",
      "/api/v1/prompts/{slug}/render",
      "/api/v1/prompts/{slug}/restore",
      "/api/v1/prompts/{slug}/versions",
      "/api/v1/schemas/bundle.json",
      "/api/v1/snippets",
      "/api/v1/snippets/{name}",
      "/api/v1/snippets/{name}/restore",
      "/api/v1/snippets/{name}/versions",
      "/healthz",
    ]);
    const operationIds = new Set<string>();
    for (const [path, item] of Object.entries(doc.paths)) {
      const operations = Object.entries(item).filter(([m]) => METHODS.includes(m));
      expect(operations.length, path).toBeGreaterThan(0);
      for (const [method, op] of operations) {
        expect(operationIds.has(op.operationId), op.operationId).toBe(false);
        operationIds.add(op.operationId);
        expect(Object.keys(op.responses).length, `${method} ${path}`).toBeGreaterThan(0);
        for (const status of Object.keys(op.responses)) expect(status).toMatch(/^[1-5]\d\d$/);
        // Every {param} of the template is a required path parameter, and no other path parameter.
        const templated = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
        const declared = (op.parameters ?? []).filter((p) => p.in === "path");
        expect(declared.map((p) => p.name).sort(), `${method} ${path}`).toEqual(templated.sort());
        expect(declared.every((p) => p.required === true)).toBe(true);
      }
    }
    expect(JSON.stringify(doc).match(/"\$ref":"#\/components\/schemas\/\w+"/g)!.length).toBeGreaterThan(10);
    // Every schema compiles in ajv's strict mode: refs resolve, no keyword or format it does not know.
    const schemas = schemasIn(doc);
    expect(schemas.length).toBeGreaterThan(20);
    for (const [where, schema] of schemas) expect(() => compile(schema), where).not.toThrow();
    // ...and that check is not vacuous.
    expect(() => compile({ $ref: "#/components/schemas/NoSuchSchema" })).toThrow();
    expect(() => compile({ type: "string", minLenght: 1 })).toThrow(/unknown keyword/);
  });

  it.skipIf(skip)("its problem examples fit the documented schema", () => {
    let examples = 0;
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(item)) {
        for (const [status, response] of Object.entries(op.responses)) {
          const media = response.content?.[mediaType(Number(status))];
          for (const [name, example] of Object.entries(media?.examples ?? {})) {
            examples++;
            expect(validate(example.value, media!.schema), `${method} ${path} ${status} ${name}`).toEqual([]);
          }
          if (Number(status) >= 400 && Number(status) < 500) {
            expect(CONFLICT_SCHEMAS, `${method} ${path} ${status}`).toContainEqual(media?.schema);
            expect(
              Object.keys(media?.examples ?? {}).length,
              `${method} ${path} ${status} has examples`,
            ).toBeGreaterThan(0);
          }
        }
      }
    }
    expect(examples).toBeGreaterThan(10);
  });

  it.skipIf(skip)(
    "every operation answers, valid and invalid, with a documented status and a body that fits",
    async () => {
      const exercised = new Set<string>();
      for (const call of CALLS) {
        const sent = call.send ?? call.method.toUpperCase();
        const withBody = call.raw !== undefined || call.body !== undefined;
        const init: RequestInit =
          ((sent === "POST" && call.method === "post") || (sent === "PUT" && call.method === "put")) && withBody
            ? {
                method: sent,
                headers: { "content-type": call.type ?? "application/json", ...call.headers },
                body:
                  call.raw instanceof Uint8Array ? new Uint8Array(call.raw) : (call.raw ?? JSON.stringify(call.body)),
              }
            : { method: sent, headers: { ...call.headers } };
        if (call.conditional) {
          const first = await fetch(`${server.baseUrl}${call.url}`);
          expect(first.status, call.url).toBe(200);
          const etag = first.headers.get("etag");
          expect(etag, call.url).toMatch(/^"[^"]+"$/);
          init.headers = { "If-None-Match": etag! };
        }
        const res = await fetch(`${server.baseUrl}${call.url}`, init).catch((e: unknown) => {
          throw new Error(`${call.method} ${call.url} ${call.status}: ${String(e)}`);
        });
        const text = await res.text();
        const what = `${sent} ${call.url} → ${res.status} ${text.slice(0, 300)}`;
        expect(res.status, what).toBe(call.status);
        exercised.add(`${call.method} ${call.path} ${call.status}`);
        if (call.status === 304) {
          expect(text, what).toBe("");
          expect(doc.paths[call.path]?.[call.method]?.responses["304"], `${what}: not documented`).toBeDefined();
          continue;
        }
        if (call.status === 405) expect(res.headers.get("allow"), what).toBeTruthy();
        if (call.media) {
          expect(res.headers.get("content-type")?.split(";")[0], what).toBe(call.media);
          expect(
            responseSchema(doc, call.path, call.method, call.status) ??
              doc.paths[call.path]?.[call.method]?.responses[String(call.status)]?.content?.[call.media],
            what,
          ).toBeDefined();
          continue;
        }
        expect(res.headers.get("content-type")?.split(";")[0], what).toBe(mediaType(call.status));
        const media = responseSchema(doc, call.path, call.method, call.status);
        expect(media, `${what}: status not documented`).toBeDefined();
        const body = JSON.parse(text) as unknown;
        expect(validate(body, media!.schema), what).toEqual([]);
        exercised.add(`${call.method} ${call.path} ${call.status}`);
        if (call.status >= 400) {
          const problem = body as { issues: Array<{ path: Array<string | number> }> };
          // (c) the field path names the bad field, and the problem fits the Problem schema.
          if (call.field)
            expect(
              problem.issues.map((i) => String(i.path[0])),
              what,
            ).toContain(call.field);
          if (media!.schema.$ref === "#/components/schemas/Problem")
            expect(validate(body, { $ref: "#/components/schemas/Problem" }), what).toEqual([]);
          else expect(Object.keys((body as { versions: object }).versions).sort(), what).toEqual(["base", "head"]);
          if (call.example)
            expect(body, `${what}: example ${call.example}`).toEqual(media!.examples?.[call.example]?.value);
        }
      }
      // Every documented response is exercised for real (or named in NOT_CALLED and checked below).
      const documented = Object.entries(doc.paths).flatMap(([path, item]) =>
        Object.entries(item).flatMap(([method, op]) =>
          Object.keys(op.responses).map((status) => `${method} ${path} ${status}`),
        ),
      );
      expect(documented.filter((d) => !exercised.has(d) && !NOT_CALLED.has(d) && !WITH_ACCOUNTS.test(d))).toEqual([]);
    },
  );

  it.skipIf(skip)("a bad field in a 4xx problem is reported with the documented problem shape", async () => {
    const res = await fetch(`${server.baseUrl}/api/v1/prompts/support-reply/render`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ variables: { question: 1, "bad name": "x".repeat(10) }, target: "openai", version: 0 }),
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { issues: Array<{ path: Array<string | number>; message: string }> };
    expect(validate(body, responseSchema(doc, "/api/v1/prompts/{slug}/render", "post", 400)!.schema)).toEqual([]);
    expect(body.issues.map((i) => i.path[0])).toContain("version");
    // Breaking the shape is caught: the validator is not vacuous.
    expect(
      validate({ ...body, issues: [{ path: "version", message: 1 }] }, { $ref: "#/components/schemas/Problem" }).length,
    ).toBeGreaterThan(0);
    expect(validate({ error: "x" }, { $ref: "#/components/schemas/Problem" }).length).toBeGreaterThan(0);
  });

  it.skipIf(skip)("the 503 readiness body fits the documented schema", async () => {
    const broken = {
      $queryRawUnsafe: () => Promise.reject(new Error("connect ECONNREFUSED 127.0.0.1:1")),
    } as unknown as Db;
    const unhealthy = await checkReadiness(broken, "test", 100);
    expect(unhealthy.status).toBe("unhealthy");
    expect(validate(unhealthy, responseSchema(doc, "/api/health", "get", 503)!.schema)).toEqual([]);
  });
});
