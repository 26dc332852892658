/**
 * Assertions of an evaluation (issue 14): what a model's answer to a test case must satisfy. Kept
 * as JSON with the case or the suite; checked by app/server/evals/. Pure: the shapes, their
 * limits, how a form becomes one and how one reads in words.
 */
import { z } from "zod";

export {
  ASSERTION_KINDS,
  ASSERTION_LABEL,
  ASSERTION_LIMITS,
  describeAssertion,
  type AssertionKind,
  type AssertionResult,
} from "./assertion-kinds";
import { ASSERTION_LIMITS } from "./assertion-kinds";

const text = z.string().min(1, "is required").max(ASSERTION_LIMITS.textChars);
const bound = z.number().int().min(0).max(10_000_000).optional();

type Bounds = { min?: number; max?: number };
const withBounds = <K extends "length" | "tokens">(kind: K) =>
  z
    .object({ kind: z.literal(kind), min: bound, max: bound })
    .strict()
    .refine((a: Bounds) => a.min !== undefined || a.max !== undefined, {
      message: "needs a minimum or a maximum",
      path: ["max"],
    })
    .refine((a: Bounds) => a.min === undefined || a.max === undefined || a.min <= a.max, {
      message: "the minimum must not exceed the maximum",
      path: ["min"],
    });

/** A JSON Schema given as text: it must be a JSON object (ajv compiles it on the server). */
const schemaText = z
  .string()
  .min(2, "is required")
  .max(ASSERTION_LIMITS.schemaChars, `must be at most ${ASSERTION_LIMITS.schemaChars} characters`)
  .refine(
    (s) => {
      try {
        const v = JSON.parse(s) as unknown;
        return typeof v === "object" && v !== null && !Array.isArray(v);
      } catch {
        return false;
      }
    },
    { message: "must be a JSON object" },
  );

export const assertionSchema = z.union([
  z.object({ kind: z.literal("contains"), value: text, caseSensitive: z.boolean().default(false) }).strict(),
  z.object({ kind: z.literal("not-contains"), value: text, caseSensitive: z.boolean().default(false) }).strict(),
  z.object({ kind: z.literal("equals"), value: z.string().max(ASSERTION_LIMITS.textChars) }).strict(),
  z
    .object({
      kind: z.literal("regex"),
      pattern: z
        .string()
        .min(1, "is required")
        .max(ASSERTION_LIMITS.patternChars, `must be at most ${ASSERTION_LIMITS.patternChars} characters`)
        .refine(
          (p) => {
            try {
              new RegExp(p, "u");
              return true;
            } catch {
              return false;
            }
          },
          { message: "is not a valid regular expression" },
        ),
      flags: z
        .string()
        .max(3)
        .regex(/^(?!.*(.).*\1)[ims]*$/, "may use only i, m and s, each once")
        .default(""),
    })
    .strict(),
  z.object({ kind: z.literal("json") }).strict(),
  z.object({ kind: z.literal("json-schema"), schema: schemaText }).strict(),
  withBounds("length"),
  withBounds("tokens"),
  z
    .object({
      kind: z.literal("judge"),
      rubric: z.string().trim().min(1, "is required").max(ASSERTION_LIMITS.rubricChars),
      provider: z.string().min(1, "is required").max(40),
      model: z.string().trim().min(1, "is required").max(200),
      threshold: z.number().min(0, "must be between 0 and 1").max(1, "must be between 0 and 1").default(0.7),
    })
    .strict(),
]);
export type Assertion = z.infer<typeof assertionSchema>;

export const assertionListSchema = (max: number) =>
  z.array(assertionSchema).max(max, `must hold at most ${max} assertions`);

/** Stored assertions, read leniently: an entry that no longer parses is dropped. */
export function readAssertions(json: string): Assertion[] {
  try {
    const raw = JSON.parse(json) as unknown;
    if (!Array.isArray(raw)) return [];
    return raw.flatMap((a) => {
      const p = assertionSchema.safeParse(a);
      return p.success ? [p.data] : [];
    });
  } catch {
    return [];
  }
}

/** What a form posts for a new assertion → the fields the schema reads, by kind. */
export function assertionFromForm(get: (name: string) => string | null): unknown {
  const kind = get("kind") ?? "";
  const num = (name: string) => {
    const raw = (get(name) ?? "").trim();
    if (raw === "") return undefined;
    const n = Number(raw);
    return Number.isFinite(n) ? n : raw;
  };
  switch (kind) {
    case "contains":
    case "not-contains":
      return { kind, value: get("value") ?? "", caseSensitive: get("caseSensitive") === "on" };
    case "equals":
      return { kind, value: get("value") ?? "" };
    case "regex":
      return { kind, pattern: get("pattern") ?? "", flags: get("flags") ?? "" };
    case "json":
      return { kind };
    case "json-schema":
      return { kind, schema: get("schema") ?? "" };
    case "length":
    case "tokens":
      return { kind, min: num("min"), max: num("max") };
    case "judge": {
      const [provider, ...model] = (get("judge") ?? "").split(":");
      return {
        kind,
        rubric: get("rubric") ?? "",
        provider,
        model: model.join(":"),
        threshold: num("threshold") ?? 0.7,
      };
    }
    default:
      return { kind };
  }
}
