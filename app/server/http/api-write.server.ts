/**
 * The one way an API write runs (docs/decisions/125, 126): the body's type is checked (415), read
 * within a byte limit (413), parsed (400 for bad JSON or a body that does not fit the request
 * schema), then the write runs once per `Idempotency-Key` (a retry gets the stored answer), and a
 * domain error becomes its problem — a version conflict with both versions in the body.
 */
import { createHash } from "node:crypto";
import { findNul, NUL_MESSAGE } from "~/prompt/text";
import { parseInput } from "~/prompt/zod-issues";
import { getDb } from "~/server/db.server";
import { claimIdempotencyKey, releaseIdempotencyKey, storeIdempotentAnswer } from "./idempotency.server";
import { VersionConflictError } from "~/prompt/errors";
import type { Principal } from "~/server/auth/guard.server";
import { MAX_REQUEST_BODY_BYTES } from "~/server/observability/http-instrumentation.server";
import { readBodyBytes, readJsonBody } from "./json-body.server";
import { problemFor, problemOf, problemResponse } from "./problem.server";
import type { z } from "zod";

export const IDEMPOTENCY_HEADER = "Idempotency-Key";
const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

/** How a write's body is read: JSON through a schema, and optionally other text types. */
export type BodyReader<T> = {
  schema: z.ZodType<T>;
  maxBytes: number;
  /** Other media types this write takes as text, each turned into the schema's input (with the query). */
  text?: Record<string, (text: string, query: URLSearchParams) => unknown>;
  /** The limit of a text body (the HTTP layer's BODY_LIMIT_DEFAULT_BYTES is 1 MiB by default). */
  textMaxBytes?: number;
};

function mediaType(request: Request): string {
  return (request.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
}

function unsupported(types: string[]): Response {
  return problemResponse(
    problemOf(415, `Send the body as ${types.join(" or ")}.`, [{ path: [], message: "unsupported content type" }]),
  );
}

/** A text body within `maxBytes` (413 past it), or the problem response. */
async function readText(
  request: Request,
  maxBytes: number,
): Promise<{ ok: true; text: string } | { ok: false; response: Response }> {
  const read = await readBodyBytes(request, { maxBytes, abandonAfterBytes: MAX_REQUEST_BODY_BYTES });
  if (!read.ok) return read;
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(read.bytes);
  } catch {
    return {
      ok: false,
      response: problemResponse(
        problemOf(400, "The body is not UTF-8 text.", [{ path: [], message: "must be UTF-8" }]),
      ),
    };
  }
  if (findNul(text))
    return {
      ok: false,
      response: problemResponse(problemOf(400, `Text ${NUL_MESSAGE}.`, [{ path: [], message: NUL_MESSAGE }])),
    };
  return { ok: true, text };
}

type Read<T> = { ok: true; fingerprint: string; parse: () => Promise<T> } | { ok: false; response: Response };

async function readBody<T>(request: Request, reader: BodyReader<T>): Promise<Read<T>> {
  const type = mediaType(request);
  const textParser = reader.text?.[type];
  if (textParser) {
    const read = await readText(request, reader.textMaxBytes ?? 1_000_000);
    if (!read.ok) return read;
    const query = new URL(request.url).searchParams;
    return {
      ok: true,
      fingerprint: `${type}\u0000${read.text}`,
      parse: async () => parseInput(reader.schema, await textParser(read.text, query), { malformed: true }),
    };
  }
  if (type !== "application/json")
    return { ok: false, response: unsupported(["application/json", ...Object.keys(reader.text ?? {})]) };
  const read = await readJsonBody(request, { maxBytes: reader.maxBytes, abandonAfterBytes: MAX_REQUEST_BODY_BYTES });
  if (!read.ok) return read;
  return {
    ok: true,
    fingerprint: `application/json\u0000${JSON.stringify(read.value)}`,
    parse: async () => parseInput(reader.schema, read.value, { malformed: true }),
  };
}

/** A domain error as its problem response; a version conflict carries both versions. */
function errorResponse(error: unknown): Response {
  const problem = problemFor(error);
  if (!problem) throw error;
  // The API's conflicts carry both versions (app/models/api-write.server.ts).
  if (error instanceof VersionConflictError && "versions" in error)
    return problemResponse({ ...problem, versions: error.versions } as typeof problem);
  return problemResponse(problem);
}

/** Who keys belong to: one caller's keys never meet another's. */
function principalKey(principal: Principal): string {
  if (principal.kind === "token") return `token:${principal.grant.id}`;
  if (principal.kind === "session") return `user:${principal.user.id}`;
  return "local";
}

/** Runs `write` once per Idempotency-Key of this caller; without the header, every time. */
async function idempotent(
  request: Request,
  principal: Principal,
  fingerprint: string,
  write: () => Promise<Response>,
): Promise<Response> {
  const key = request.headers.get(IDEMPOTENCY_HEADER);
  if (key === null) return write();
  if (!KEY_PATTERN.test(key))
    return problemResponse(
      problemOf(400, "The Idempotency-Key header must be 1 to 255 visible ASCII characters.", [
        { path: [IDEMPOTENCY_HEADER], message: "1 to 255 visible ASCII characters" },
      ]),
    );
  const url = new URL(request.url);
  const requestHash = createHash("sha256")
    .update(`${request.method}\u0000${url.pathname}${url.search}\u0000${fingerprint}`)
    .digest("hex");
  const db = getDb();
  const claim = await claimIdempotencyKey(db, { principal: principalKey(principal), key, requestHash });
  if (claim.kind === "replay")
    return new Response(claim.answer.body, {
      status: claim.answer.status,
      headers: { "Content-Type": claim.answer.contentType, "Idempotent-Replayed": "true" },
    });
  if (claim.kind === "mismatch")
    return problemResponse(
      problemOf(422, "This Idempotency-Key was used for another request; use a new key for a new request.", [
        { path: [IDEMPOTENCY_HEADER], message: "already used with a different request" },
      ]),
    );
  if (claim.kind === "running")
    return problemResponse(
      problemOf(409, "A request with this Idempotency-Key is still running; retry in a moment.", [
        { path: [IDEMPOTENCY_HEADER], message: "in progress" },
      ]),
      { headers: { "Retry-After": "1" } },
    );
  let response: Response;
  try {
    response = await write();
  } catch (error) {
    await releaseIdempotencyKey(db, claim.id).catch(() => undefined);
    throw error;
  }
  // A server-side failure is not an answer to replay: the retry runs again.
  if (response.status >= 500) {
    await releaseIdempotencyKey(db, claim.id).catch(() => undefined);
    return response;
  }
  const body = await response.text();
  const contentType = response.headers.get("content-type") ?? "application/json";
  await storeIdempotentAnswer(db, claim.id, { status: response.status, body, contentType });
  return new Response(body, { status: response.status, headers: response.headers });
}

/**
 * An API write: reads and checks the body (when `reader` is given), runs `run` once per
 * Idempotency-Key, and answers `status` with the JSON result (and `Location` when `location` names it).
 */
export async function apiWrite<T, R>(
  request: Request,
  principal: Principal,
  options: {
    reader?: BodyReader<T>;
    /** The success status, or how to pick it from the result (a label move: 200, or 202 when proposed). */
    status?: number | ((result: R) => number);
    run: (body: T) => Promise<R>;
    location?: (result: R) => string;
  },
): Promise<Response> {
  let read: Read<T> | null = null;
  if (options.reader) {
    read = await readBody(request, options.reader);
    if (!read.ok) return read.response;
  }
  const body = read;
  return idempotent(request, principal, body ? body.fingerprint : "", async () => {
    try {
      const result = await options.run(body ? await body.parse() : (undefined as T));
      const headers: Record<string, string> = {};
      if (options.location) headers.Location = options.location(result);
      const status = typeof options.status === "function" ? options.status(result) : (options.status ?? 200);
      return Response.json(result, { status, headers });
    } catch (error) {
      return errorResponse(error);
    }
  });
}
