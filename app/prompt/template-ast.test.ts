import { describe, expect, it } from "vitest";
import { analyzeTemplate, syntaxErrorFrom } from "./template-ast";

const names = (t: string) => analyzeTemplate(t).usages.map((u) => `${u.name}:${u.kind}`);

describe("analyzeTemplate", () => {
  it("finds printed variables with their line and column", () => {
    const a = analyzeTemplate("Hello {{name}},\n  you owe {{ amount }}.");
    expect(a.errors).toEqual([]);
    expect(a.usages.map((u) => [u.name, u.line, u.column])).toEqual([
      ["name", 1, 9],
      ["amount", 2, 14],
    ]);
  });

  it("classifies conditions, loops and arguments", () => {
    expect(names("{{#if vip}}{{tier}}{{else}}{{plan}}{{/if}}{{#unless quiet}}!{{/unless}}")).toEqual([
      "vip:condition",
      "tier:print",
      "plan:print",
      "quiet:condition",
    ]);
    expect(names('{{#ifEquals tone "formal"}}x{{/ifEquals}}{{json schema indent=2}}')).toEqual([
      "tone:condition",
      "schema:argument",
    ]);
  });

  it("treats paths inside #each and #with as fields of the item, except ../ and @root", () => {
    const a = analyzeTemplate(
      "{{#each items}}{{this}} {{title}} {{@index}} {{../owner}} {{@root.boss}}{{/each}}{{#with user}}{{name}}{{/with}}",
    );
    expect(a.usages.map((u) => `${u.name}:${u.kind}`)).toEqual([
      "items:iterate",
      "owner:print",
      "boss:print",
      "user:with",
    ]);
  });

  it("knows when a use is guarded by a test of the same variable", () => {
    const a = analyzeTemplate(
      "{{#if note}}{{note}}{{/if}} {{note}} {{#if other}}{{note}}{{/if}} {{#each xs}}{{../xs.length}}{{/each}}",
    );
    expect(a.usages.map((u) => `${u.name}:${u.kind}:${u.guarded}`)).toEqual([
      "note:condition:false",
      "note:print:true",
      "note:print:false",
      "other:condition:false",
      "note:print:false",
      "xs:iterate:false",
      "xs:print:true",
    ]);
  });

  it("respects block parameters", () => {
    expect(names("{{#each rows as |row i|}}{{row}} {{i}} {{other}}{{/each}}")).toEqual(["rows:iterate"]);
  });

  it("keeps nested paths below the variable", () => {
    const [u] = analyzeTemplate("{{customer.name}}").usages;
    expect(u).toMatchObject({ name: "customer", subPath: ["name"], original: "customer.name" });
  });

  it("collects partials and helpers", () => {
    const a = analyzeTemplate('{{role "system"}}\n{{> signature}}\n{{> footer tone=style}}');
    expect(a.partials.map((p) => [p.name, p.line])).toEqual([
      ["signature", 2],
      ["footer", 3],
    ]);
    expect(a.helpers.map((h) => h.name)).toEqual(["role"]);
    expect(a.usages.map((u) => u.name)).toEqual(["style"]);
  });

  it("reports an unclosed block with the line where the template ends", () => {
    const a = analyzeTemplate("a\n{{#if x}}\nb");
    expect(a.errors).toHaveLength(1);
    expect(a.errors[0]).toMatchObject({ line: 3 });
    expect(a.errors[0]!.message).toMatch(/never closed/);
  });

  it("reports mismatched blocks, unknown helpers and unclosed tags", () => {
    expect(analyzeTemplate("{{#each a}}{{/if}}").errors[0]!.message).toMatch(
      /\{\{\/if\}\} closes a \{\{#each\}\} block/,
    );
    const unknown = analyzeTemplate("line\n{{shout name}}").errors[0]!;
    expect(unknown).toMatchObject({ line: 2, column: 1 });
    expect(unknown.message).toMatch(/unknown helper "shout"/);
    expect(analyzeTemplate("{{#shout}}x{{/shout}}").errors).toEqual([]); // a mustache-style section
    expect(analyzeTemplate("{{#shout a}}x{{/shout}}").errors[0]!.message).toMatch(/unknown block helper/);
    expect(analyzeTemplate("Hi {{name").errors[0]!.message).toMatch(/never closed with \}\}/);
  });

  it("leaves escaped braces, comments and raw text alone", () => {
    expect(analyzeTemplate("\\{{not_a_var}} {{! a comment }} {{!-- {{x}} --}} a { b } }}").usages).toEqual([]);
  });

  it("handles unicode and emoji around tags", () => {
    const a = analyzeTemplate("Grüße, {{名前}} 🎉\n👋 {{emoji_name}}");
    expect(a.errors).toEqual([]);
    expect(a.usages.map((u) => [u.name, u.line])).toEqual([
      ["名前", 1],
      ["emoji_name", 2],
    ]);
  });

  it("turns arbitrary thrown values into a message and line 1", () => {
    expect(syntaxErrorFrom("boom")).toEqual({ message: "boom", line: 1, column: 1 });
  });
});
