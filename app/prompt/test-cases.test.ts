import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Variable } from "./draft";
import {
  type TestCaseInput,
  caseValueProblems,
  casesToCsv,
  casesToJsonl,
  parseCasesCsv,
  parseCasesJsonl,
  parseCsv,
} from "./test-cases";

const v = (name: string, type: Variable["type"], extra: Partial<Variable> = {}) =>
  ({ name, type, required: false, enumValues: [], description: "", ...extra }) as Variable;
const vars = [
  v("topic", "string", { required: true }),
  v("n", "number"),
  v("ok", "boolean"),
  v("tone", "enum", { enumValues: ["warm", "dry"] }),
];

describe("test case values", () => {
  it("names each value that does not fit its variable", () => {
    expect(caseValueProblems(vars, { topic: "tides", n: "3", ok: true, tone: "warm" })).toEqual({});
    expect(caseValueProblems(vars, { n: "three", tone: "loud", extra: "x" })).toEqual({
      topic: "is required",
      n: 'must be a number, got text "three"',
      tone: 'must be one of "warm", "dry", got "loud"',
      extra: "is not a variable of this prompt",
    });
  });
});

describe("CSV", () => {
  it("reads quotes, commas, doubled quotes and newlines in cells, with the line each row starts on", () => {
    const { rows } = parseCsv('name,topic\r\n"a, b","say ""hi""\nthere"\nc,d\n');
    expect(rows).toEqual([
      { line: 1, cells: ["name", "topic"] },
      { line: 2, cells: ["a, b", 'say "hi"\nthere'] },
      { line: 4, cells: ["c", "d"] },
    ]);
    expect(parseCsv('a,"b\nc').problem).toEqual({ line: 1, message: "a quoted cell is never closed" });
  });

  it("round-trips any names and values (property)", () => {
    const text = fc
      .string({ maxLength: 30 })
      .filter((s) => !s.includes("\r") && ![...s].some((c) => c.charCodeAt(0) < 0x20 && c !== "\n"));
    fc.assert(
      fc.property(
        fc.uniqueArray(
          fc.record({ name: text.filter((s) => s.trim() === s && s.length > 0), topic: text.filter((s) => s !== "") }),
          {
            selector: (c) => c.name,
            maxLength: 10,
          },
        ),
        (rows) => {
          const cases = rows.map((r) => ({ name: r.name, values: { topic: r.topic }, assertions: [] }));
          const parsed = parseCasesCsv(casesToCsv(["topic"], cases), [v("topic", "text")]);
          expect(parsed).toEqual({ ok: true, cases });
        },
      ),
      { numRuns: 200 },
    );
  });

  it("lists every problem with its line and imports nothing", () => {
    const r = parseCasesCsv("name,topic,n\nfirst,tides,3\nsecond,,x\nfirst,a,1\nshort,b\n", vars);
    expect(r).toEqual({
      ok: false,
      problems: [
        { line: 3, message: '"topic" is required' },
        { line: 3, message: '"n" must be a number, got text "x"' },
        { line: 4, message: 'the name "first" is also on line 2' },
        { line: 5, message: "has 2 cells; the header has 3" },
      ],
    });
    expect(parseCasesCsv("topic\nx\n", vars)).toMatchObject({ ok: false, problems: [{ line: 1 }] });
    expect(parseCasesCsv("", vars)).toMatchObject({ ok: false });
  });

  it("reads booleans as checkbox states and bounds rows and bytes", () => {
    expect(parseCasesCsv("name,topic,ok\na,t,true\n", vars)).toEqual({
      ok: true,
      cases: [{ name: "a", values: { topic: "t", ok: true }, assertions: [] }],
    });
    const many = "name,topic\n" + Array.from({ length: 201 }, (_, i) => `c${i},t`).join("\n");
    expect(parseCasesCsv(many, vars)).toMatchObject({
      ok: false,
      problems: [{ message: "at most 200 cases per file, got 201" }],
    });
    expect(parseCasesCsv("name,topic\na," + "x".repeat(1_000_001), vars)).toMatchObject({
      ok: false,
      problems: [{ line: 0 }],
    });
  });
});

describe("JSONL", () => {
  it("round-trips cases with assertions", () => {
    const cases: TestCaseInput[] = [
      {
        name: "a",
        values: { topic: "t", ok: true },
        assertions: [{ kind: "contains" as const, value: "x", caseSensitive: false }],
      },
      { name: "b", values: { topic: "u" }, assertions: [] },
    ];
    expect(parseCasesJsonl(casesToJsonl(cases), vars)).toEqual({ ok: true, cases });
  });

  it("names the line of each problem", () => {
    const r = parseCasesJsonl(
      '{"name":"a","values":{"topic":"t"}}\nnot json\n\n{"name":"b","values":{"n":"x","topic":"t"}}\n{"values":{}}\n',
      vars,
    );
    expect(r).toEqual({
      ok: false,
      problems: [
        { line: 2, message: "is not valid JSON" },
        { line: 4, message: '"n" must be a number, got text "x"' },
        { line: 5, message: expect.stringMatching(/^name: /) },
      ],
    });
  });
});
