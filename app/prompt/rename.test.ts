import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { PromptDraft, Section, Variable } from "./draft";
import { countUses, renameInTemplate, renameVariable } from "./rename";

const sec = (template: string, extra: Partial<Section> = {}): Section => ({
  kind: "task",
  title: "",
  template,
  enabled: true,
  examples: [],
  ...extra,
});
const v = (name: string, type: Variable["type"] = "string"): Variable => ({
  name,
  type,
  required: true,
  enumValues: [],
  description: "",
});

describe("renameInTemplate", () => {
  it.each([
    ["{{old}}", "{{new}}"],
    ["{{ old }} and {{{old}}}", "{{ new }} and {{{new}}}"],
    ["{{old.field}} {{old.a.b}}", "{{new.field}} {{new.a.b}}"],
    ["{{#each old}}{{this}}{{/each}}", "{{#each new}}{{this}}{{/each}}"],
    ["{{#each old as |x|}}{{x}}{{/each}}", "{{#each new as |x|}}{{x}}{{/each}}"],
    ["{{#if old}}y{{else if old.b}}z{{/if}}", "{{#if new}}y{{else if new.b}}z{{/if}}"],
    ["{{#unless old}}n{{/unless}}", "{{#unless new}}n{{/unless}}"],
    ["{{#with old}}{{name}}{{/with}}", "{{#with new}}{{name}}{{/with}}"],
    ["{{#old}}[{{.}}]{{/old}}", "{{#new}}[{{.}}]{{/new}}"],
    ["{{^old}}none{{/old}}", "{{^new}}none{{/new}}"],
    ["{{~#old~}}x{{~/old~}}", "{{~#new~}}x{{~/new~}}"],
    [
      '{{#ifEquals old "a"}}A{{/ifEquals}} {{json old}} {{lookup old 1}}',
      '{{#ifEquals new "a"}}A{{/ifEquals}} {{json new}} {{lookup new 1}}',
    ],
    ["{{> card name=old}} {{> card old}}", "{{> card name=new}} {{> card new}}"],
    ["{{#each items}}{{@root.old}}{{/each}}", "{{#each items}}{{@root.new}}{{/each}}"],
    ["line\r\nnext {{old}}\rthird {{old}}", "line\r\nnext {{new}}\rthird {{new}}"],
    ["ünïcødé ✨ {{old}}", "ünïcødé ✨ {{new}}"],
  ])("%s", (source, want) => {
    expect(renameInTemplate(source, "old", "new").text).toBe(want);
  });

  it.each([
    // A loop item's field, a block parameter, a longer name, text, a comment, an escaped mustache.
    "{{#each items}}{{old}}{{/each}}",
    "{{#each items as |old|}}{{old}}{{/each}}",
    "{{older}} {{old_x}} {{x.old}}",
    "old text {{! {{old}} }} \\{{old}}",
    '{{section "old"}}',
    "{{#if broken}",
  ])("leaves %s alone", (source) => {
    expect(renameInTemplate(source, "old", "new")).toEqual({ text: source, count: 0 });
  });
});

describe("renameVariable", () => {
  const draft: Pick<PromptDraft, "sections" | "variables"> = {
    sections: [
      sec("Hi {{old}}\n{{#each list}}{{this}}{{/each}}\n{{> sig}}"),
      sec("Intro {{old.x}}", {
        kind: "examples",
        examples: [{ input: "Q about {{old}}", output: "{{#if old}}yes{{/if}}" }],
      }),
    ],
    variables: [v("old", "object"), v("list", "list")],
  };

  it("renames the declaration and every use in sections and example rows; names snippets that read it", () => {
    const r = renameVariable(draft, "old", "customer", { sig: "{{old}} {{x}}" });
    expect(r.count).toBe(4);
    expect(r.snippets).toEqual(["sig"]);
    expect(r.draft.variables.map((x) => x.name)).toEqual(["customer", "list"]);
    expect(r.draft.sections[0]!.template).toBe("Hi {{customer}}\n{{#each list}}{{this}}{{/each}}\n{{> sig}}");
    expect(r.draft.sections[1]!.template).toBe("Intro {{customer.x}}");
    expect(r.draft.sections[1]!.examples[0]).toEqual({
      input: "Q about {{customer}}",
      output: "{{#if customer}}yes{{/if}}",
    });
    expect(countUses(draft, "old")).toBe(4);
    expect(countUses(r.draft, "old")).toBe(0);
  });

  it("property: renaming back restores the draft", () => {
    const piece = fc.constantFrom(
      "{{a}}",
      "{{ a }}",
      "{{a.f}}",
      "{{#each a}}{{this}}{{/each}}",
      "{{#each a as |i|}}{{i}}{{/each}}",
      "{{#if a}}y{{else}}n{{/if}}",
      "{{#a}}s{{/a}}",
      "{{^a}}e{{/a}}",
      "{{#with a}}{{f}}{{/with}}",
      "{{json a}}",
      "{{@root.a}}",
      "{{#each list}}{{a}}{{/each}}",
      "{{c}}",
      "{{ab}}",
      "{{! a }}",
      "\\{{a}}",
      "a ",
      "\n",
      "\r\n",
      "é✨",
      "{{~a~}}",
    );
    const template = fc.array(piece, { maxLength: 12 }).map((xs) => xs.join(""));
    fc.assert(
      fc.property(
        fc.array(template, { minLength: 1, maxLength: 3 }),
        fc.array(fc.tuple(template, template), { maxLength: 2 }),
        fc.constantFrom("b", "customer_2", "z"),
        (templates, rows, to) => {
          const d: Pick<PromptDraft, "sections" | "variables"> = {
            sections: [
              ...templates.map((t) => sec(t)),
              sec("", { kind: "examples", examples: rows.map(([input, output]) => ({ input, output })) }),
            ],
            variables: [v("a"), v("c")],
          };
          const there = renameVariable(d, "a", to);
          expect(countUses(there.draft, "a")).toBe(0);
          const back = renameVariable(there.draft, to, "a");
          expect(back.draft).toEqual(d);
          expect(back.count).toBe(there.count);
        },
      ),
      { numRuns: 200 },
    );
  }, 60_000);
});
