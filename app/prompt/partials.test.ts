import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { partialNames, renamePartial, renamePartialInDraft } from "./partials";

describe("partialNames", () => {
  it("lists each included snippet once, sorted, from every section", () => {
    const sections = [
      { template: "{{> sign}} {{#if x}}{{> tone}}{{/if}}" },
      { template: "{{> sign}} {{name}}" },
      { template: "" },
    ];
    expect(
      partialNames({
        sections: sections.map((s) => ({ kind: "task" as const, title: "", enabled: true, examples: [], ...s })),
      }),
    ).toEqual(["sign", "tone"]);
  });
});

describe("renamePartial", () => {
  it("renames every inclusion of the snippet, both tags of a partial block, and nothing else", () => {
    const source =
      'Say {{> greet}} and {{~> greet name=greet~}}; {{#> greet}}fallback {{greet}}{{/greet}} "greet" {{> greeting}}';
    const { text, count } = renamePartial(source, "greet", "salute");
    expect(text).toBe(
      'Say {{> salute}} and {{~> salute name=greet~}}; {{#> salute}}fallback {{greet}}{{/salute}} "greet" {{> greeting}}',
    );
    expect(count).toBe(4);
    expect(
      partialNames({ sections: [{ kind: "task", title: "", enabled: true, examples: [], template: text }] }),
    ).toEqual(["greeting", "salute"]);
  });

  it("leaves a template that does not parse, or does not include the snippet, as it is", () => {
    expect(renamePartial("{{> greet", "greet", "x")).toEqual({ text: "{{> greet", count: 0 });
    expect(renamePartial("{{greet}} greet", "greet", "x")).toEqual({ text: "{{greet}} greet", count: 0 });
  });

  it("renaming there and back gives the template it started from", () => {
    const name = fc.stringMatching(/^[a-z][a-z0-9_]{0,8}$/);
    const piece = fc.oneof(
      name.map((n) => `{{> ${n}}}`),
      name.map((n) => `{{~>${n} x=${n}~}}`),
      name.map((n) => `{{#> ${n}}}a{{/${n}}}`),
      name.map((n) => `{{${n}}}`),
      fc.constantFrom(" ", "\n", "text ", "{{#if a}}b{{/if}}"),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 8 }), name, name, (pieces, from, to) => {
        const source = pieces.join("");
        fc.pre(from !== to && !source.includes(to));
        const there = renamePartial(source, from, to);
        expect(renamePartial(there.text, to, from)).toEqual({ text: source, count: there.count });
      }),
    );
  });
});

describe("renamePartialInDraft", () => {
  it("renames in every section and keeps the rest of the draft", () => {
    const draft = {
      sections: [
        { kind: "task" as const, title: "A", enabled: true, examples: [], template: "{{> greet}}" },
        { kind: "context" as const, title: "B", enabled: false, examples: [], template: "none" },
      ],
    };
    expect(renamePartialInDraft(draft, "greet", "salute")).toEqual({
      sections: [{ ...draft.sections[0], template: "{{> salute}}" }, draft.sections[1]],
    });
  });
});
