/**
 * Saved test values: the values the builder previews with, kept on the server with the prompt as
 * named sets of raw form values (text or a checkbox state, as the builder holds them). "default"
 * always exists; the label check renders with it. Pure.
 */
import { z } from "zod";
import { LIMITS, variableNameSchema } from "./draft";

export const DEFAULT_TEST_SET = "default";

export const rawTestValuesSchema = z
  .record(variableNameSchema, z.union([z.string().max(LIMITS.sectionTemplateChars), z.boolean()]))
  .refine((r) => Object.keys(r).length <= LIMITS.variables, {
    message: `must hold at most ${LIMITS.variables} values`,
  });
export type RawTestValues = z.infer<typeof rawTestValuesSchema>;

export const testValueSetsSchema = z
  .record(z.string().min(1).max(64), rawTestValuesSchema)
  .refine((s) => Object.keys(s).length <= 20, { message: "must hold at most 20 sets" });
export type TestValueSets = z.infer<typeof testValueSetsSchema>;

/** The stored sets, read leniently: a damaged or older value becomes an empty default set. */
export function readTestValueSets(json: string): TestValueSets {
  try {
    const parsed = testValueSetsSchema.safeParse(JSON.parse(json));
    if (parsed.success) return { [DEFAULT_TEST_SET]: {}, ...parsed.data };
  } catch {
    // fall through
  }
  return { [DEFAULT_TEST_SET]: {} };
}

/** Typed values (a starter's samples) → the raw form values the builder holds and the server keeps. */
export function rawTestValues(
  variables: ReadonlyArray<{ name: string; type: string }>,
  typed: Readonly<Record<string, unknown>>,
): RawTestValues {
  const out: RawTestValues = {};
  for (const v of variables) {
    const value = typed[v.name];
    if (value === undefined || value === null) continue;
    out[v.name] =
      v.type === "boolean" && typeof value === "boolean"
        ? value
        : Array.isArray(value)
          ? value.join("\n")
          : String(value);
  }
  return out;
}
