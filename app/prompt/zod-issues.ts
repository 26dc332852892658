/**
 * A zod error as the `{ path, message }` issues every user-facing error carries (next to a field in
 * a form, in a JSON problem from the API). Path segments are plain strings and numbers.
 */
import type { z } from "zod";

export type FieldIssue = { path: Array<string | number>; message: string };

export function zodIssues(error: z.ZodError, prefix: Array<string | number> = []): FieldIssue[] {
  return error.issues.map((i) => ({ path: [...prefix, ...i.path.map((p) => (typeof p === "symbol" ? String(p) : p))], message: i.message }));
}

/** The problem body for invalid input: what the API answers with a 400. */
export function zodProblem(error: z.ZodError): { error: string; issues: FieldIssue[] } {
  return { error: "Some fields are not valid.", issues: zodIssues(error) };
}
