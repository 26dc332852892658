/**
 * Reads a JSON request body with a byte limit, counted as bytes arrive, so a body without
 * Content-Length (chunked) cannot grow memory past it. Past the limit the rest is read and
 * discarded, so the 413 reaches the client and its keep-alive connection stays usable; only a body
 * past the global cap is abandoned (stopping the read destroys the socket with it). A declared
 * length over the limit is refused unread, asking the client to close the connection: its next
 * request on it would otherwise meet the rest of this body.
 */
import { findNul, NUL_MESSAGE } from "~/prompt/text";
import { jsonDepthExceeds } from "~/transfer/bundle";
import { bodyNotJsonProblem, bodyTooLargeProblem, problemOf, problemResponse } from "~/server/http/problem.server";

/** The deepest nesting any JSON body may have (the deepest real request, a bundle, nests about 10). */
export const MAX_JSON_DEPTH = 64;

export type JsonBody = { ok: true; value: unknown } | { ok: false; response: Response };

export type JsonBodyOptions = {
  /** This route's limit: a longer body is answered 413 (and drained, up to `abandonAfterBytes`). */
  maxBytes: number;
  /** The server-wide cap (MAX_REQUEST_BODY_BYTES): past it the body is abandoned, socket and all. */
  abandonAfterBytes: number;
};

function bodyTooLarge(options: JsonBodyOptions, closeConnection: boolean): Response {
  return problemResponse(bodyTooLargeProblem(options.maxBytes), {
    headers: closeConnection ? { Connection: "close" } : {},
  });
}

/**
 * The body's bytes within `options.maxBytes`, counted as they arrive (see the header): 413 past the
 * limit, the socket abandoned past the server-wide cap. Every body reader here goes through it.
 */
export async function readBodyBytes(
  request: Request,
  options: JsonBodyOptions,
): Promise<{ ok: true; bytes: Buffer } | { ok: false; response: Response }> {
  const { maxBytes } = options;
  const declared = Number(request.headers.get("content-length") ?? 0);
  if (declared > maxBytes) return { ok: false, response: bodyTooLarge(options, true) };
  const chunks: Uint8Array[] = [];
  let total = 0;
  if (request.body) {
    const reader = request.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > options.abandonAfterBytes) {
        await reader.cancel().catch(() => undefined);
        return { ok: false, response: bodyTooLarge(options, true) };
      }
      if (total <= maxBytes) chunks.push(value);
    }
  }
  if (total > maxBytes) return { ok: false, response: bodyTooLarge(options, false) };
  return { ok: true, bytes: Buffer.concat(chunks) };
}

export async function readJsonBody(request: Request, options: JsonBodyOptions): Promise<JsonBody> {
  const read = await readBodyBytes(request, options);
  if (!read.ok) return read;
  const text = new TextDecoder().decode(read.bytes);
  if (text.trim() === "") return { ok: true, value: {} };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, response: problemResponse(bodyNotJsonProblem()) };
  }
  // A body nested past any real request's depth is refused before anything walks it recursively
  // (findNul below, zod): 60,000 nested arrays fit in 120 KB and would overflow the stack (a 500).
  if (jsonDepthExceeds(value, MAX_JSON_DEPTH)) {
    return {
      ok: false,
      response: problemResponse(
        problemOf(400, "The body nests too deeply.", [
          { path: [], message: `nests deeper than ${MAX_JSON_DEPTH} levels` },
        ]),
      ),
    };
  }
  // No string anywhere in the body may hold a NUL (PostgreSQL cannot store one; refused on SQLite too).
  const nul = findNul(value);
  if (nul) {
    return {
      ok: false,
      response: problemResponse(problemOf(400, `Text ${NUL_MESSAGE}.`, [{ path: nul, message: NUL_MESSAGE }])),
    };
  }
  return { ok: true, value };
}
