/**
 * The body of an import request: JSON up to IMPORT_MAX_BYTES (413 past it, 400 when it is not JSON),
 * then a bundle (app/transfer/bundle.ts) — or, for Langfuse, their prompts mapped to one — checked
 * in full before anything is written. Problems come back as problem+json with every issue's path.
 */
import { MAX_REQUEST_BODY_BYTES } from "~/server/observability/http-instrumentation.server";
import { readJsonBody } from "~/server/http/json-body.server";
import { problemOf, problemResponse } from "~/server/http/problem.server";
import { getEnv } from "~/server/env.server";
import { parseBundle, type Bundle, type BundleParse } from "~/transfer/bundle";
import { langfuseToBundle } from "~/transfer/langfuse";

/** A parse result as the answer a client gets. */
export function bundleProblem(result: Extract<BundleParse, { ok: false }>): Response {
  return problemResponse(problemOf(result.status, result.error, result.issues));
}

/** Parses an uploaded text as a bundle or, when it is a JSON array, as Langfuse prompts. */
export function parseImportText(text: string, format: "bundle" | "langfuse" | "auto"): BundleParse {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return {
      ok: false,
      status: 400,
      error: "The file is not valid JSON.",
      issues: [{ path: [], message: "must be JSON" }],
    };
  }
  return parseImportValue(value, format);
}

export function parseImportValue(value: unknown, format: "bundle" | "langfuse" | "auto"): BundleParse {
  const langfuse = format === "langfuse" || (format === "auto" && Array.isArray(value));
  return langfuse ? langfuseToBundle(value) : parseBundle(value);
}

/** The request's bundle, or throws the 400/413/422 problem Response. */
export async function readImportRequest(request: Request, format: "bundle" | "langfuse"): Promise<Bundle> {
  const read = await readJsonBody(request, {
    maxBytes: getEnv().IMPORT_MAX_BYTES,
    abandonAfterBytes: MAX_REQUEST_BODY_BYTES,
  });
  if (!read.ok) throw read.response;
  const result = parseImportValue(read.value, format);
  if (!result.ok) throw bundleProblem(result);
  return result.bundle;
}
