/**
 * The one way input is parsed, by forms and API alike: a zod schema, and on failure an
 * InvalidError carrying every issue as `{ path, message }` (not just the first), so each field
 * shows its own message and an API client sees all it has to fix at once.
 */
import type { z } from "zod";
import { InvalidError } from "./errors";
import type { Issue } from "./problem";

export function zodIssues(error: z.ZodError, prefix: Array<string | number> = []): Issue[] {
  return error.issues.map((i) => ({
    path: [...prefix, ...i.path.map((p) => (typeof p === "symbol" ? String(p) : p))],
    message: i.message,
  }));
}

export type ParseOptions = {
  /** Prepended to every issue's path: the field a single value came from, or a JSON form field. */
  path?: Array<string | number>;
  /**
   * Field names → the words a message starts with ("Name" → "Name is required."). Messages of
   * fields with a label become sentences; others stay as the schema wrote them.
   */
  labels?: Record<string, string>;
  /** The headline when the input is not valid (default: the issues' messages, or a generic line). */
  message?: string;
  /** The input does not have the expected shape at all (a 400, not a 422). */
  malformed?: boolean;
};

/** Every issue of a zod error, as an InvalidError. */
export function invalidFrom(error: z.ZodError, options: ParseOptions = {}): InvalidError {
  const issues = zodIssues(error, options.path).map((i) => {
    const label = options.labels?.[String(i.path[0])];
    return label ? { path: i.path, message: `${label} ${i.message}.` } : i;
  });
  const labelled = options.labels && issues.every((i) => options.labels![String(i.path[0])]);
  const message = options.message ?? (labelled ? issues.map((i) => i.message).join(" ") : "Some fields are not valid.");
  return new InvalidError(message, issues, { malformed: options.malformed });
}

/** `schema.parse(input)`, throwing an InvalidError with every issue instead of a ZodError. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, options: ParseOptions = {}): z.output<S> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw invalidFrom(parsed.error, options);
  return parsed.data;
}
