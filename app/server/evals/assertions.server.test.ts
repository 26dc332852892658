import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { assertionFromForm, assertionSchema, type Assertion } from "~/prompt/assertions";
import { checkAssertion, safeRegexTest, RegexTimeout, schemaProblem, type Judge } from "./assertions.server";
import { parseVerdict } from "./judge.server";

const noJudge: Judge = () => Promise.reject(new Error("no judge here"));
const check = (a: unknown, output: string) =>
  checkAssertion(assertionSchema.parse(a), output, { model: "gpt-4o", judge: noJudge });

describe("assertions", () => {
  it("contains / not contains, case-insensitive unless asked", async () => {
    expect((await check({ kind: "contains", value: "Paris" }, "the capital is paris")).passed).toBe(true);
    expect((await check({ kind: "contains", value: "Paris", caseSensitive: true }, "paris")).passed).toBe(false);
    const miss = await check({ kind: "contains", value: "Rome" }, "paris");
    expect(miss).toMatchObject({ passed: false, detail: '"Rome" is not in the answer' });
    expect((await check({ kind: "not-contains", value: "sorry" }, "Sorry, no")).passed).toBe(false);
    expect((await check({ kind: "not-contains", value: "sorry" }, "Sure")).passed).toBe(true);
  });

  it("contains agrees with String.includes for any text (property)", async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ minLength: 1, maxLength: 8 }), fc.string({ maxLength: 40 }), async (needle, hay) => {
        const r = await check({ kind: "contains", value: needle, caseSensitive: true }, hay);
        const n = await check({ kind: "not-contains", value: needle, caseSensitive: true }, hay);
        expect(r.passed).toBe(hay.includes(needle));
        expect(n.passed).toBe(!hay.includes(needle));
      }),
      { numRuns: 200 },
    );
  });

  it("equals ignores surrounding whitespace only", async () => {
    expect((await check({ kind: "equals", value: "42" }, " 42\n")).passed).toBe(true);
    expect((await check({ kind: "equals", value: "42" }, "42.")).passed).toBe(false);
  });

  it("regular expressions match with their flags", async () => {
    expect((await check({ kind: "regex", pattern: "^\\d+ items?$" }, "3 items")).passed).toBe(true);
    expect((await check({ kind: "regex", pattern: "^hello", flags: "i" }, "HELLO there")).passed).toBe(true);
    expect((await check({ kind: "regex", pattern: "^hello" }, "HELLO there")).passed).toBe(false);
  });

  it("a catastrophically backtracking pattern is stopped after the time limit and fails, without freezing", async () => {
    const started = Date.now();
    const r = await check({ kind: "regex", pattern: "^(a+)+$" }, "a".repeat(40) + "!");
    expect(r.passed).toBe(false);
    expect(r.detail).toMatch(/ran longer than 50 ms/);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(() => safeRegexTest("^(a|a)*$", "", "a".repeat(40) + "b", 20)).toThrow(RegexTimeout);
  });

  it("refuses bad patterns, long patterns and unknown flags when saved", () => {
    expect(assertionSchema.safeParse({ kind: "regex", pattern: "(" }).success).toBe(false);
    expect(assertionSchema.safeParse({ kind: "regex", pattern: "a".repeat(501) }).success).toBe(false);
    expect(assertionSchema.safeParse({ kind: "regex", pattern: "a", flags: "g" }).success).toBe(false);
    expect(assertionSchema.safeParse({ kind: "regex", pattern: "a", flags: "ii" }).success).toBe(false);
  });

  it("valid JSON", async () => {
    expect((await check({ kind: "json" }, '{"a": 1}')).passed).toBe(true);
    const bad = await check({ kind: "json" }, "{a: 1}");
    expect(bad.passed).toBe(false);
    expect(bad.detail).toMatch(/not valid JSON/);
  });

  it("JSON Schema with ajv, the first error in words; its patterns are time-limited too", async () => {
    const schema = JSON.stringify({
      type: "object",
      required: ["city"],
      properties: { city: { type: "string" }, code: { type: "string", pattern: "^(a+)+$" } },
    });
    expect((await check({ kind: "json-schema", schema }, '{"city": "Paris"}')).passed).toBe(true);
    const missing = await check({ kind: "json-schema", schema }, '{"town": "Paris"}');
    expect(missing).toMatchObject({ passed: false });
    expect(missing.detail).toMatch(/city/);
    const started = Date.now();
    const evil = await check(
      { kind: "json-schema", schema },
      JSON.stringify({ city: "x", code: "a".repeat(40) + "!" }),
    );
    expect(evil.passed).toBe(false);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(schemaProblem('{"type": "nonsense"}')).toMatch(/not a usable JSON Schema/);
    expect(schemaProblem('{"type": "string"}')).toBeNull();
  });

  it("length in characters counts code points", async () => {
    expect((await check({ kind: "length", max: 3 }, "héé")).passed).toBe(true);
    expect((await check({ kind: "length", max: 3 }, "👍👍👍")).passed).toBe(true);
    expect(await check({ kind: "length", min: 5 }, "abc")).toMatchObject({
      passed: false,
      detail: "3 characters, fewer than 5",
    });
    expect(assertionSchema.safeParse({ kind: "length" }).success).toBe(false);
    expect(assertionSchema.safeParse({ kind: "length", min: 5, max: 2 }).success).toBe(false);
  });

  it("token limits use the model's real encoding", async () => {
    expect((await check({ kind: "tokens", max: 3 }, "hello world")).passed).toBe(true);
    const long = await check({ kind: "tokens", max: 3 }, "one two three four five six");
    expect(long.passed).toBe(false);
    expect(long.detail).toMatch(/^6 tokens, more than 3$/);
  });

  it("the judge is asked and its verdict kept", async () => {
    const judge: Judge = async (a) => ({
      kind: "judge",
      description: "judge",
      passed: true,
      detail: "score 0.9",
      score: 0.9,
      reasoning: `read ${a.rubric}`,
    });
    const a: Assertion = assertionSchema.parse({ kind: "judge", rubric: "polite", provider: "openai", model: "m" });
    const r = await checkAssertion(a, "hi", { model: "m", judge });
    expect(r).toMatchObject({ passed: true, score: 0.9, reasoning: "read polite" });
    expect(a).toMatchObject({ threshold: 0.7 });
  });

  it("reads a judge's verdict from prose or fences, refuses anything else", () => {
    expect(parseVerdict('{"score": 0.8, "reasoning": "ok"}')).toEqual({ score: 0.8, reasoning: "ok" });
    expect(parseVerdict('Here:\n```json\n{"score": 1, "reasoning": "fine"}\n```')).toEqual({
      score: 1,
      reasoning: "fine",
    });
    expect(parseVerdict('{"score": 7}')).toBeNull();
    expect(parseVerdict("I think it is good")).toBeNull();
  });

  it("reads an assertion from a form by kind", () => {
    const form = (f: Record<string, string>) => (n: string) => f[n] ?? null;
    expect(assertionSchema.parse(assertionFromForm(form({ kind: "tokens", max: "50", min: "" })))).toEqual({
      kind: "tokens",
      max: 50,
    });
    expect(
      assertionSchema.parse(
        assertionFromForm(form({ kind: "judge", rubric: "r", judge: "openai:gpt-4o:mini", threshold: "0.5" })),
      ),
    ).toEqual({ kind: "judge", rubric: "r", provider: "openai", model: "gpt-4o:mini", threshold: 0.5 });
    expect(assertionSchema.safeParse(assertionFromForm(form({ kind: "contains", value: "" }))).success).toBe(false);
  });
});
