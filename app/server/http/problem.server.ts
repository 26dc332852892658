/**
 * The one place domain errors become HTTP. Resource routes (the API) answer a problem+json
 * Response; page actions return `{ problem }` action data with the same status; page loaders turn
 * one into an error page. Anything that is not a DomainError is rethrown: Remix logs it
 * (entry.server.tsx handleError) and answers 500 — input a client sends never takes that path.
 */
import { data } from "@remix-run/node";
import {
  ConflictError,
  DomainError,
  ForbiddenError,
  InvalidError,
  NotFoundError,
  VersionConflictError,
} from "~/prompt/errors";
import type { Issue, Problem } from "~/prompt/problem";
import { findNul, NUL_MESSAGE } from "~/prompt/text";
import { databaseFailure } from "~/server/db/database-failure.server";
import { isWriteRace } from "~/server/db/write-race.server";
import { reportError } from "~/server/observability/error-reporting.server";
import { representationResponse, type Representation } from "./etag.server";

export const PROBLEM_CONTENT_TYPE = "application/problem+json";

function statusOf(error: DomainError): number {
  if (error instanceof InvalidError) return error.malformed ? 400 : 422;
  if (error instanceof NotFoundError) return 404;
  if (error instanceof ConflictError) return 409;
  if (error instanceof ForbiddenError) return 403;
  // A new DomainError subclass must get its status here; until then it is a bug, not the client's.
  throw error;
}

/** The problem body for a domain error, or for a database that cannot serve now; null for anything else (a bug). */
export function problemFor(error: unknown): Problem | null {
  if (!(error instanceof DomainError)) {
    // Not the client's fault but not a bug either: the database cannot serve now (503, or 507 when full).
    const down = databaseFailure(error);
    if (!down) {
      // A write that kept losing to concurrent writes of the same row (write-race.server.ts retried it).
      if (!isWriteRace(error)) return null;
      return {
        status: 409,
        error: "Another change to the same data happened at the same moment: nothing was changed. Try again.",
        issues: [],
      };
    }
    // Not a bug, but an operator wants to know (Sentry groups the repeats).
    reportError(error, { status: down.status });
    return { status: down.status, error: down.error, issues: [] };
  }
  const problem: Problem = { status: statusOf(error), error: error.message, issues: error.issues };
  if (error instanceof VersionConflictError) {
    problem.conflict = {
      about: error.what,
      baseVersion: error.baseVersion,
      headVersion: error.headVersion,
      ...(error.url ? { url: error.url } : {}),
    };
  }
  return problem;
}

/** A problem body from its parts (what the server answers before any domain code runs). */
export function problemOf(status: number, error: string, issues: Issue[] = []): Problem {
  return { status, error, issues };
}

/** A problem as an `application/problem+json` Response. */
export function problemResponse(problem: Problem, init: { headers?: HeadersInit } = {}): Response {
  const headers = new Headers(init.headers);
  headers.set("Content-Type", PROBLEM_CONTENT_TYPE);
  return new Response(JSON.stringify(problem), { status: problem.status, headers });
}

/** The 413 answer, whoever refuses the body (the server before any route, or a route reading it). */
export function bodyTooLargeProblem(maxBytes: number): Problem {
  return problemOf(413, "The request body is too large.", [{ path: [], message: `at most ${maxBytes} bytes` }]);
}

/** The 400 for a request body that is not JSON. */
export function bodyNotJsonProblem(): Problem {
  return problemOf(400, "The body is not valid JSON.", [{ path: [], message: "must be JSON" }]);
}

const FORM_TYPES = /^\s*(application\/x-www-form-urlencoded|multipart\/form-data)\s*(;|$)/i;

/**
 * A page action's form. A body that is not a form (wrong or missing Content-Type, or one that does
 * not parse as its type says) is the client's mistake: 415/400 problem, thrown as the response,
 * never the 500 that `request.formData()` would give.
 */
export async function readForm(request: Request): Promise<FormData> {
  if (!FORM_TYPES.test(request.headers.get("content-type") ?? "")) {
    throw problemResponse(
      problemOf(415, "Send this form as application/x-www-form-urlencoded or multipart/form-data.", [
        { path: [], message: "unsupported content type" },
      ]),
    );
  }
  let form: FormData;
  try {
    form = await request.formData();
  } catch {
    throw problemResponse(
      problemOf(400, "The form body could not be read.", [{ path: [], message: "malformed form" }]),
    );
  }
  // No field may hold a NUL (PostgreSQL cannot store one): refused here, once, for every form action.
  for (const [key, value] of form) {
    const nul = findNul(key) ? [key] : typeof value === "string" ? findNul(value, [key]) : null;
    if (nul)
      throw problemResponse(problemOf(400, `A form field ${NUL_MESSAGE}.`, [{ path: nul, message: NUL_MESSAGE }]));
  }
  return form;
}

/** 405 naming the methods the resource takes (`Allow`). */
export function methodNotAllowed(error: string, allow = "POST"): Response {
  return problemResponse(problemOf(405, error, [{ path: [], message: "method not allowed" }]), {
    headers: { Allow: allow },
  });
}

/** The action of a read-only API route: any method but GET/HEAD is a 405 problem, not Remix's error. */
export function readOnly(): Response {
  return methodNotAllowed("This resource is read-only: use GET.", "GET, HEAD");
}

/**
 * API reads: the representation `fn` returns with its ETag (304 when the client has it) and
 * `Cache-Control: no-cache, no-transform`, or a domain error as problem+json.
 */
export async function apiRead(request: Request, fn: () => Promise<Representation>): Promise<Response> {
  return apiResponse(async () => representationResponse(request, await fn()));
}

/** The same answer on every page for an `intent` the page has no action for. */
export function unknownIntent(): InvalidError {
  return new InvalidError(
    "This page has no such action; reload it and try again.",
    [{ path: ["intent"], message: "unknown action" }],
    { malformed: true },
  );
}

/** The form's `intent`, which must be one of `intents` (else the unknown-intent problem). */
export function parseIntent<const T extends readonly string[]>(form: FormData, intents: T): T[number] {
  const intent = form.get("intent");
  const known = (v: unknown): v is T[number] => typeof v === "string" && intents.includes(v);
  if (known(intent)) return intent;
  throw unknownIntent();
}

/** Resource routes: the JSON body `fn` returns (or its Response), or a domain error as problem+json. */
export async function apiResponse(fn: () => Promise<unknown>): Promise<Response> {
  try {
    const body = await fn();
    return body instanceof Response ? body : Response.json(body);
  } catch (error) {
    const problem = problemFor(error);
    if (problem) return problemResponse(problem);
    throw error;
  }
}

/** A domain error as page action data: `{ problem }` with the problem's status. */
export function problemData(error: DomainError) {
  return problemAsData(problemFor(error)!);
}

function problemAsData(problem: Problem) {
  return data({ problem }, { status: problem.status });
}

/**
 * Page actions: what `fn` returns, or a domain error as `{ problem }` action data, so
 * `useActionData<typeof action>()` is the union of the two.
 */
export async function pageAction<T>(fn: () => Promise<T>) {
  try {
    return await fn();
  } catch (error) {
    // A domain error, or a database that cannot serve now (503/507); anything else is a bug.
    const problem = problemFor(error);
    if (problem) return problemAsData(problem);
    throw error;
  }
}

/** Page loaders: a domain error (no such prompt, version…) becomes the error page with its status. */
export async function pageLoad<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    const problem = problemFor(error);
    if (problem) throw new Response(problem.error, { status: problem.status });
    throw error;
  }
}
