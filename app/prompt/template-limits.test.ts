import fc from "fast-check";
import Handlebars from "handlebars/dist/cjs/handlebars.js";
import { describe, expect, it } from "vitest";
import {
  MAX_LIST_ITEMS,
  MAX_RENDERED_CHARS,
  MAX_TEMPLATE_DEPTH,
  MAX_VALUE_CHARS,
  MAX_VALUES_CHARS,
  RenderBudget,
  RenderLimitError,
  renderInputIssues,
  scanTemplateDepth,
  templateDepthError,
} from "./template-limits";
import { boundedValuesSchema } from "./bounded-values-schema";

/** Block nesting depth of Handlebars' own AST: what the scan must agree with. */
function astDepth(source: string): number {
  const walk = (prog: hbs.AST.Program | undefined): number => {
    let max = 0;
    for (const s of prog?.body ?? []) {
      if (s.type === "BlockStatement" || s.type === "DecoratorBlock" || s.type === "PartialBlockStatement") {
        const b = s as hbs.AST.BlockStatement;
        max = Math.max(max, 1 + Math.max(walk(b.program), walk(b.inverse)));
      }
    }
    return max;
  };
  return walk(Handlebars.parse(source));
}

const nested = (depth: number) => "{{#if a}}\n".repeat(depth) + "x" + "{{/if}}".repeat(depth);

describe("scanTemplateDepth", () => {
  it("counts blocks, inverted blocks, raw and partial blocks, and {{else if}} links", () => {
    const cases = [
      "plain text {{name}}",
      "{{#if a}}{{#each b}}{{this}}{{/each}}{{/if}}",
      "{{^if a}}no{{/if}}{{#if a}}{{else}}{{#if b}}{{/if}}{{/if}}",
      "{{#if a}}1{{else if b}}2{{else if c}}3{{else}}4{{/if}}",
      "{{{{raw}}}} {{#if a}} {{{{x}}}} {{{{/x}}}} {{{{/raw}}}}",
      "{{#> layout}}{{#if a}}x{{/if}}{{/layout}}",
      '{{#*inline "p"}}{{#if a}}x{{/if}}{{/inline}}',
      "{{#if a}}{{^}}{{#if b}}x{{/if}}{{/if}}",
      "{{~#if a~}} x {{~/if~}}",
    ];
    for (const t of cases) expect(scanTemplateDepth(t).depth, t).toBe(astDepth(t));
  });

  it("ignores what the lexer ignores: escaped tags, comments, strings and [segments] inside tags", () => {
    const cases = [
      "\\{{#if a}} not a block",
      "\\\\{{#if a}}a real block{{/if}}",
      "{{!-- {{#if a}} }} --}}{{! {{#if b}}",
      '{{#if (eq a "}}{{#if")}}x{{/if}}',
      "{{[weird}}{{#if]}}",
      "{{{triple}}}{{#if a}}{{{x}}}{{/if}}",
    ];
    for (const t of cases) expect(scanTemplateDepth(t).depth, t).toBe(astDepth(t));
  });

  it("stops at the first block deeper than the limit, with its line and column", () => {
    const scan = scanTemplateDepth(nested(100));
    expect(scan.tooDeep).toEqual({ line: MAX_TEMPLATE_DEPTH + 1, column: 1 });
    expect(scanTemplateDepth(nested(MAX_TEMPLATE_DEPTH)).tooDeep).toBeNull();
    const err = templateDepthError("intro\n  " + nested(70));
    expect(err).toMatchObject({ line: MAX_TEMPLATE_DEPTH + 2, column: 1 });
    expect(err?.message).toContain(`more than ${MAX_TEMPLATE_DEPTH} deep`);
  });

  it("scans 8,000 nested blocks (200 kB) in well under the parser's time", () => {
    const t = nested(8000) + "y".repeat(100_000);
    const start = performance.now();
    for (let i = 0; i < 10; i++) expect(scanTemplateDepth(t).tooDeep).not.toBeNull();
    const flat = "{{a}} ".repeat(33_000);
    for (let i = 0; i < 10; i++) expect(scanTemplateDepth(flat).depth).toBe(0);
    // 20 scans of 100–200 kB; the parser needs seconds for one of them. Generous for a shared machine.
    expect(performance.now() - start).toBeLessThan(2_000);
  });

  it("agrees with Handlebars' AST depth for random nestings below the limit", () => {
    type Tpl = string;
    const name = fc.constantFrom("a", "b", "items", "x.y");
    const leaf: fc.Arbitrary<Tpl> = fc.oneof(
      fc.constantFrom(
        "text ",
        "\n",
        "{{v}}",
        "{{{raw}}}",
        "{{! c }}",
        "{{!-- {{#if x}} --}}",
        "\\{{#if e}}",
        "{{> part}}",
        '{{json "}}"}}',
        "{{{{r}}}}{{#x}}{{{{/r}}}}",
      ),
      name.map((n) => `{{${n}}}`),
    );
    const tpl: fc.Arbitrary<Tpl> = fc.letrec<{ t: Tpl }>((tie) => ({
      t: fc.oneof(
        { depthSize: "small", withCrossShrink: true },
        leaf,
        fc.array(tie("t"), { maxLength: 4 }).map((xs) => xs.join("")),
        fc
          .tuple(fc.constantFrom("if", "each", "with", "unless"), name, tie("t"))
          .map(([h, n, body]) => `{{#${h} ${n}}}${body}{{/${h}}}`),
        fc.tuple(name, tie("t"), tie("t")).map(([n, a, b]) => `{{#if ${n}}}${a}{{else}}${b}{{/if}}`),
        fc
          .tuple(name, tie("t"), tie("t"), tie("t"))
          .map(([n, a, b, c]) => `{{#if ${n}}}${a}{{else if b}}${b}{{else}}${c}{{/if}}`),
        fc.tuple(name, tie("t")).map(([n, a]) => `{{^${n}}}${a}{{/${n}}}`),
        tie("t").map((a) => `{{#> layout}}${a}{{/layout}}`),
        tie("t").map((a) => `{{~#if a~}}${a}{{~^~}}{{~/if~}}`),
      ),
    })).t;
    fc.assert(
      fc.property(tpl, fc.integer({ min: 0, max: 40 }), (t, wrap) => {
        const source = nested(wrap).replace("x", t);
        const depth = astDepth(source);
        fc.pre(depth <= MAX_TEMPLATE_DEPTH);
        expect(scanTemplateDepth(source)).toEqual({ depth, tooDeep: null });
      }),
      { numRuns: 300 },
    );
  });

  it("refuses exactly the templates deeper than the limit", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 200 }), (d) => {
        expect(scanTemplateDepth(nested(d)).tooDeep !== null).toBe(d > MAX_TEMPLATE_DEPTH);
      }),
    );
  });
});

describe("renderInputIssues", () => {
  it("accepts values within the caps", () => {
    expect(
      renderInputIssues({ topic: "x".repeat(MAX_VALUE_CHARS), items: Array(MAX_LIST_ITEMS).fill("a"), n: 3, on: true }),
    ).toEqual([]);
  });

  it("points at the list, the item or the string over its cap", () => {
    const issues = renderInputIssues({
      items: Array(MAX_LIST_ITEMS + 1).fill("a"),
      docs: ["ok", "y".repeat(MAX_VALUE_CHARS + 1)],
      topic: "z".repeat(MAX_VALUE_CHARS + 1),
    });
    expect(issues.map((i) => i.path)).toEqual([
      ["values", "items"],
      ["values", "docs", 1],
      ["values", "topic"],
    ]);
    expect(issues.every((i) => i.severity === "error" && i.code === "limit")).toBe(true);
    expect(issues[0]!.message).toBe(`"items" must have at most ${MAX_LIST_ITEMS.toLocaleString("en")} items`);
  });

  it("caps the values together", () => {
    const big = "w".repeat(MAX_VALUE_CHARS);
    const values = Object.fromEntries(
      Array.from({ length: MAX_VALUES_CHARS / MAX_VALUE_CHARS + 1 }, (_, i) => [`v${i}`, big]),
    );
    const issues = renderInputIssues(values);
    expect(issues).toHaveLength(1);
    expect(issues[0]!.path).toEqual(["values"]);
  });
});

describe("render values: one rule for the API's zod schema and the render paths' plain check", () => {
  it("refuses shapes a render cannot take, and over-long names, naming the variable", () => {
    const issues = renderInputIssues({
      nested: { a: { b: 1 } },
      nul: null,
      deep: [[1]],
      ["n".repeat(65)]: "x",
    } as Record<string, unknown>);
    expect(issues.map((i) => i.path)).toEqual([
      ["values", "nested"],
      ["values", "nul"],
      ["values", "deep"],
      ["values", "n".repeat(65)],
    ]);
    expect(issues[0]!.message).toMatch(/^"nested" must be text, a number/);
    expect(issues[3]!.message).toMatch(/at most 64 characters/);
  });

  it("agrees with boundedValuesSchema on which values pass, for any value (property)", () => {
    const scalar = fc.oneof(fc.string({ maxLength: 5 }), fc.integer(), fc.double(), fc.boolean());
    const flat = fc.dictionary(fc.string({ maxLength: 3 }), scalar, { maxKeys: 3 });
    const anyValue = fc.oneof(
      scalar,
      flat,
      fc.array(fc.oneof(scalar, flat), { maxLength: 3 }),
      fc.constant(null),
      fc.array(fc.array(scalar, { maxLength: 2 }), { minLength: 1, maxLength: 2 }),
      fc.dictionary(fc.string({ maxLength: 3 }), flat, { minKeys: 1, maxKeys: 2 }),
    );
    fc.assert(
      fc.property(fc.dictionary(fc.string({ maxLength: 4 }), anyValue, { maxKeys: 4 }), (values) => {
        expect(renderInputIssues(values).length === 0).toBe(boundedValuesSchema.safeParse(values).success);
      }),
    );
  });

  it("gives the API and the render paths the same cap messages at the same paths", () => {
    const values = { items: Array(MAX_LIST_ITEMS + 1).fill("a"), docs: ["ok", "y".repeat(MAX_VALUE_CHARS + 1)] };
    const parsed = boundedValuesSchema.safeParse(values);
    expect(parsed.success).toBe(false);
    const fromZod = parsed.success ? [] : parsed.error.issues.map((i) => [i.path, i.message]);
    const plain = renderInputIssues(values).map((i) => [i.path.slice(1), i.message.replace(/^"[^"]+" /, "")]);
    expect(plain).toEqual(fromZod);
  });
});

describe("RenderBudget", () => {
  it("counts nested loop output once and stops at the cap", () => {
    const budget = new RenderBudget(100, 1000);
    const inner = () => budget.iteration(() => "12345");
    const outer = budget.iteration(() => inner() + inner() + "!");
    expect(outer).toBe("1234512345!");
    expect(budget.chars).toBe(11);
    expect(() => {
      for (let i = 0; i < 20; i++) budget.iteration(() => "0123456789");
    }).toThrow(RenderLimitError);
  });

  it("stops loops that run too often even when they print nothing", () => {
    const budget = new RenderBudget(MAX_RENDERED_CHARS, 10);
    expect(() => {
      for (let i = 0; i < 11; i++) budget.iteration(() => "");
    }).toThrow(/more than 10 times/);
  });

  it("counts a finished section whole and says how large the prompt is at least", () => {
    const budget = new RenderBudget(2_000_000);
    budget.section(0, "a".repeat(1_500_000));
    expect(() => budget.section(budget.chars, "b".repeat(1_700_000))).toThrow(
      "the rendered prompt is at least 3.2 MB, over the 2 MB limit",
    );
  });
});
