/**
 * User-caused errors as values for routes: `{ error, issues: [{ path, message }] }` with a 4xx
 * status (JSON for the API, action data next to the field for pages). Anything else is rethrown.
 */
import { data } from "@remix-run/node";
import { z } from "zod";
import { CursorError } from "./library.server";
import { FieldError, VersionConflictError } from "./prompt-store.server";

import type { Issue, Problem } from "~/components/library/problems";
import { zodIssues } from "~/prompt/zod-issues";
import { databaseFailure } from "~/server/db/database-failure.server";

export type { Issue, Problem };

export function problemOf(error: unknown): { body: Problem; status: number } | null {
  if (error instanceof FieldError) return { body: { error: error.message, issues: [{ path: error.path, message: error.message }] }, status: error.status };
  if (error instanceof VersionConflictError) {
    return {
      body: {
        error: error.message,
        issues: [{ path: ["baseVersion"], message: `the prompt is at version ${error.headVersion}` }],
        conflict: { baseVersion: error.baseVersion, headVersion: error.headVersion },
      },
      status: 409,
    };
  }
  if (error instanceof CursorError) return { body: { error: error.message, issues: [{ path: ["cursor"], message: error.message }] }, status: 400 };
  if (error instanceof z.ZodError) {
    return {
      body: {
        error: "Some fields are not valid.",
        issues: zodIssues(error),
      },
      status: 400,
    };
  }
  // Not the client's fault but not a bug either: the database cannot serve now (503, or 507 when full).
  const down = databaseFailure(error);
  if (down) return { body: { error: down.error, issues: [] }, status: down.status };
  return null;
}

/** Runs `fn`; a user-caused error becomes a 4xx problem response. */
export async function withProblems<T>(fn: () => Promise<T>) {
  try {
    return await fn();
  } catch (error) {
    const p = problemOf(error);
    if (p) return data(p.body, { status: p.status });
    throw error;
  }
}

/** A problem as a JSON Response (resource routes: the API). */
export function problem(status: number, error: string, issues: Issue[] = []) {
  return Response.json({ error, issues } satisfies Problem, { status });
}

/** For resource routes (the API): the body as JSON, or a user-caused error as a 4xx JSON problem. */
export async function jsonOrProblem(fn: () => Promise<unknown>): Promise<Response> {
  try {
    const body = await fn();
    return body instanceof Response ? body : Response.json(body);
  } catch (error) {
    const p = problemOf(error);
    if (p) return Response.json(p.body, { status: p.status });
    throw error;
  }
}

/** For loaders: a 404 FieldError (no such prompt/version) becomes a 404 page; others a 4xx page. */
export async function notFoundAs404<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof FieldError) throw new Response(error.message, { status: error.status });
    throw error;
  }
}
