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

  it("regression (issue 9 §6): an unclosed block is reported where it opens, by name", () => {
    const a = analyzeTemplate("Hello\nthere\n{{#if formal}}\nDear Sir\n");
    expect(a.errors).toEqual([
      { message: "{{#if formal}} opened on line 3 is never closed — add {{/if}} where it ends", line: 3, column: 1 },
    ]);
    // The innermost open block, past escapes and comments that look like blocks.
    const b = analyzeTemplate("\\{{#if a}} {{!-- {{#if b}} --}}\n{{#each xs}}{{#with c}}{{/with}}");
    expect(b.errors[0]).toMatchObject({ line: 2, column: 1 });
    expect(b.errors[0]!.message).toMatch(/^\{\{#each xs\}\} opened on line 2/);
  });

  it("regression (issue 9 §6): {{else}} outside a block is explained, not 'unexpected inverse'", () => {
    const a = analyzeTemplate("Hi\nthere {{else}} you");
    expect(a.errors[0]).toMatchObject({ line: 2, column: 7 });
    expect(a.errors[0]!.message).toMatch(/^\{\{else\}\} on line 2 is outside any block/);
    expect(a.errors[0]!.message).not.toMatch(/inverse/i);
    expect(analyzeTemplate("{{#if a}}x{{else}}y{{else}}z{{/if}}").errors[0]!.message).toMatch(
      /has a second \{\{else\}\}/,
    );
    expect(analyzeTemplate("a\n{{/if}}").errors[0]).toMatchObject({
      message: "{{/if}} closes a block that was never opened",
      line: 2,
    });
    // No Handlebars token names reach the user.
    for (const t of ["{{ a b c }", "{{> }}", "{{#if}}", "{{a.}}", "{{foo (bar}}"]) {
      for (const e of analyzeTemplate(t).errors) expect(e.message, t).not.toMatch(/[A-Z]{2,}_[A-Z]+|'[A-Z_]+'/);
    }
  });

  it("reports mismatched blocks, unknown helpers and unclosed tags", () => {
    expect(analyzeTemplate("{{#each a}}{{/if}}").errors[0]!.message).toBe(
      "{{/if}} closes {{#each a}} opened on line 1 — close it with {{/each}}",
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
