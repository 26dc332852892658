/**
 * The assertion kinds, their limits and how an assertion reads in words — without zod, so pages
 * can use them without building schemas in the browser (zod's compiler trips the CSP's eval rule).
 */
import type { Assertion } from "./assertions";

export const ASSERTION_KINDS = [
  "contains",
  "not-contains",
  "equals",
  "regex",
  "json",
  "json-schema",
  "length",
  "tokens",
  "judge",
] as const;
export type AssertionKind = (typeof ASSERTION_KINDS)[number];

export const ASSERTION_LABEL: Record<AssertionKind, string> = {
  contains: "Contains",
  "not-contains": "Does not contain",
  equals: "Equals",
  regex: "Matches regular expression",
  json: "Is valid JSON",
  "json-schema": "Matches JSON Schema",
  length: "Length in characters",
  tokens: "Length in tokens",
  judge: "LLM judge",
};

export const ASSERTION_LIMITS = {
  perCase: 20,
  perSuite: 20,
  textChars: 10_000,
  /** A pattern this long is already unreadable; the time limit is the real guard. */
  patternChars: 500,
  schemaChars: 20_000,
  rubricChars: 4_000,
  /** How long one regular expression may run on one answer (decision 117). */
  regexTimeoutMs: 50,
} as const;

const clip = (s: string, n = 60) => (s.length > n ? `${s.slice(0, n)}…` : s);
const range = (a: { min?: number; max?: number }, unit: string) =>
  a.min !== undefined && a.max !== undefined
    ? `${a.min}–${a.max} ${unit}`
    : a.max !== undefined
      ? `at most ${a.max} ${unit}`
      : `at least ${a.min} ${unit}`;

/** One line that says what the assertion checks. */
export function describeAssertion(a: Assertion): string {
  switch (a.kind) {
    case "contains":
      return `contains "${clip(a.value)}"${a.caseSensitive ? " (case-sensitive)" : ""}`;
    case "not-contains":
      return `does not contain "${clip(a.value)}"${a.caseSensitive ? " (case-sensitive)" : ""}`;
    case "equals":
      return `equals "${clip(a.value)}"`;
    case "regex":
      return `matches /${clip(a.pattern)}/${a.flags}`;
    case "json":
      return "is valid JSON";
    case "json-schema":
      return `matches the JSON Schema ${clip(a.schema.replace(/\s+/g, " "), 40)}`;
    case "length":
      return `is ${range(a, "characters")}`;
    case "tokens":
      return `is ${range(a, "tokens")}`;
    case "judge":
      return `LLM judge (${a.model}, pass ≥ ${a.threshold}): ${clip(a.rubric)}`;
  }
}

/** The result of one assertion on one answer. */
export type AssertionResult = {
  kind: AssertionKind;
  description: string;
  passed: boolean;
  /** Why it failed (or what the judge said), in words. */
  detail: string;
  /** The judge's score (0–1) and its reasoning. */
  score?: number;
  reasoning?: string;
};

export const TEST_CASE_LIMITS = {
  perPrompt: 200,
  importBytes: 1_000_000,
  importRows: 200,
} as const;
