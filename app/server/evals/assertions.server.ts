/**
 * Checks an answer against assertions (issue 14). Regular expressions written by users run in a
 * separate V8 context with a time limit, so a pattern that backtracks catastrophically fails its
 * assertion after 50 ms instead of freezing the event loop (decision 117); JSON Schema patterns go
 * through the same guard (ajv's `code.regExp`). The LLM judge is given as a function (judge.server.ts).
 */
import vm from "node:vm";
import { Ajv, type ValidateFunction } from "ajv";
import { ASSERTION_LIMITS, describeAssertion, type Assertion, type AssertionResult } from "~/prompt/assertions";
import { getModel } from "~/prompt/models";
import { loadEncoder } from "~/prompt/tokens";

export class RegexTimeout extends Error {}

// One context and one compiled script for every test: creating a context per call costs more than
// most matches, and under load that cost would eat into the time limit.
const regexContext = vm.createContext({ p: "", f: "", t: "" });
const regexScript = new vm.Script("new RegExp(p, f).test(t)");

/** Runs `pattern` on `text` in its own context, stopped after `timeoutMs`. */
export function safeRegexTest(
  pattern: string,
  flags: string,
  text: string,
  timeoutMs: number = ASSERTION_LIMITS.regexTimeoutMs,
) {
  Object.assign(regexContext, { p: pattern, f: flags, t: text });
  try {
    return regexScript.runInContext(regexContext, { timeout: timeoutMs }) === true;
  } catch (err) {
    if ((err as { code?: string }).code === "ERR_SCRIPT_EXECUTION_TIMEOUT") throw new RegexTimeout(pattern);
    throw err;
  } finally {
    Object.assign(regexContext, { p: "", f: "", t: "" });
  }
}

/** ajv's RegExp engine: the same guarded test (a timeout counts as "does not match"). */
const guardedRegExp = Object.assign(
  (pattern: string, flags: string) => ({
    test: (s: string) => {
      try {
        return safeRegexTest(pattern, flags, s);
      } catch {
        return false;
      }
    },
  }),
  { code: "guardedRegExp" },
);

const ajv = new Ajv({ allErrors: false, strict: false, code: { regExp: guardedRegExp } });
const compiled = new Map<string, ValidateFunction>();

/** Compiles a JSON Schema (cached by text); throws with ajv's words when it is not one. */
export function compileSchema(schemaText: string): ValidateFunction {
  let v = compiled.get(schemaText);
  if (!v) {
    v = ajv.compile(JSON.parse(schemaText) as object);
    if (compiled.size > 200) compiled.clear();
    compiled.set(schemaText, v);
  }
  return v;
}

/** The problem with a JSON Schema as written, or null when ajv compiles it. */
export function schemaProblem(schemaText: string): string | null {
  try {
    compileSchema(schemaText);
    return null;
  } catch (err) {
    return `is not a usable JSON Schema: ${String((err as Error).message).slice(0, 200)}`;
  }
}

const clip = (s: string, n = 80) => (s.length > n ? `${s.slice(0, n)}…` : s);

function parseJson(output: string): { ok: true; value: unknown } | { ok: false; message: string } {
  try {
    return { ok: true, value: JSON.parse(output) as unknown };
  } catch (err) {
    return { ok: false, message: `the answer is not valid JSON (${clip((err as Error).message)})` };
  }
}

function inRange(n: number, a: { min?: number; max?: number }, unit: string): string | null {
  if (a.min !== undefined && n < a.min) return `${n} ${unit}, fewer than ${a.min}`;
  if (a.max !== undefined && n > a.max) return `${n} ${unit}, more than ${a.max}`;
  return null;
}

export type Judge = (a: Extract<Assertion, { kind: "judge" }>, output: string) => Promise<AssertionResult>;

/** One assertion on one answer. `model` picks the tokenizer for token limits. */
export async function checkAssertion(
  a: Assertion,
  output: string,
  ctx: { model: string; judge: Judge },
): Promise<AssertionResult> {
  const description = describeAssertion(a);
  const result = (passed: boolean, detail: string): AssertionResult => ({ kind: a.kind, description, passed, detail });
  switch (a.kind) {
    case "contains":
    case "not-contains": {
      const found = a.caseSensitive
        ? output.includes(a.value)
        : output.toLocaleLowerCase().includes(a.value.toLocaleLowerCase());
      const want = a.kind === "contains";
      return result(
        found === want,
        found === want
          ? ""
          : want
            ? `"${clip(a.value)}" is not in the answer`
            : `the answer contains "${clip(a.value)}"`,
      );
    }
    case "equals": {
      const ok = output.trim() === a.value.trim();
      return result(ok, ok ? "" : `the answer is "${clip(output.trim())}"`);
    }
    case "regex":
      try {
        const ok = safeRegexTest(a.pattern, a.flags + "u", output);
        return result(ok, ok ? "" : "the answer does not match");
      } catch (err) {
        if (err instanceof RegexTimeout)
          return result(
            false,
            `the pattern ran longer than ${ASSERTION_LIMITS.regexTimeoutMs} ms on this answer and was stopped (catastrophic backtracking?)`,
          );
        return result(false, `the pattern cannot run: ${clip(String((err as Error).message))}`);
      }
    case "json": {
      const p = parseJson(output);
      return result(p.ok, p.ok ? "" : p.message);
    }
    case "json-schema": {
      const p = parseJson(output);
      if (!p.ok) return result(false, p.message);
      let validate: ValidateFunction;
      try {
        validate = compileSchema(a.schema);
      } catch (err) {
        return result(false, `the schema cannot be used: ${clip(String((err as Error).message))}`);
      }
      const ok = validate(p.value);
      const e = validate.errors?.[0];
      return result(ok, ok || !e ? "" : `${e.instancePath || "the answer"} ${e.message ?? "does not match"}`);
    }
    case "length": {
      const n = [...output].length;
      const problem = inRange(n, a, "characters");
      return result(!problem, problem ?? "");
    }
    case "tokens": {
      const encoder = await loadEncoder(getModel(ctx.model)?.encoding ?? "o200k_base");
      const problem = inRange(encoder.countTokens(output), a, "tokens");
      return result(!problem, problem ?? "");
    }
    case "judge":
      return ctx.judge(a, output);
  }
}

export async function checkAssertions(
  list: readonly Assertion[],
  output: string,
  ctx: { model: string; judge: Judge },
) {
  const out: AssertionResult[] = [];
  for (const a of list) out.push(await checkAssertion(a, output, ctx));
  return out;
}
