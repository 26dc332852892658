/**
 * Validators for the API's reads (docs/decisions/080-fast-cached-api-reads.md): a strong ETag
 * from the exact bytes returned, `If-None-Match` → 304, and `Cache-Control: no-cache, no-transform`
 * — every use is revalidated (a label may move at any time), a revalidation costs one statement,
 * and no-transform keeps the bytes the ETag names: remix-serve's compression (and any proxy) leaves
 * such a response as it is, so a strong validator stays true to the representation.
 */
import { createHash } from "node:crypto";

export const READ_CACHE_CONTROL = "no-cache, no-transform";

/** A response body with its strong validator. */
export type Representation = { body: string; etag: string };

/** A strong ETag for a body: the version it shows (when one) and a digest of the exact bytes. */
export function etagFor(body: string, versionId?: string): string {
  const digest = createHash("sha256").update(body).digest("base64url").slice(0, 22);
  return `"${versionId ? `${versionId}.` : ""}${digest}"`;
}

/** `If-None-Match` against `etag` (weak comparison, as RFC 9110 §13.1.2 asks for this header). */
export function ifNoneMatch(header: string | null, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === "*") return true;
  const strip = (tag: string) => tag.trim().replace(/^W\//, "");
  const want = strip(etag);
  return header.split(",").some((tag) => strip(tag) === want);
}

/** 304 when the client has this representation, otherwise 200 with it; both with the validator. */
export function representationResponse(request: Request, rep: Representation, headers: HeadersInit = {}): Response {
  const h = new Headers(headers);
  h.set("ETag", rep.etag);
  h.set("Cache-Control", READ_CACHE_CONTROL);
  if (ifNoneMatch(request.headers.get("if-none-match"), rep.etag))
    return new Response(null, { status: 304, headers: h });
  h.set("Content-Type", "application/json; charset=utf-8");
  return new Response(rep.body, { status: 200, headers: h });
}

/** A JSON value as a representation (reads without a cached body: lists, snippets). */
export function jsonRepresentation(value: unknown, versionId?: string): Representation {
  const body = JSON.stringify(value);
  return { body, etag: etagFor(body, versionId) };
}
