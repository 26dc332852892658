import { describe, expect, it } from "vitest";
import type { PromptDraft, Section, Variable } from "./draft";
import { analyzeDraft, inferDeclarations, parseFormValue, resolveValues, valueProblem } from "./variables";

const sec = (template: string, extra: Partial<Section> = {}): Section => ({
  kind: "task",
  title: "Task",
  template,
  enabled: true,
  examples: [],
  ...extra,
});
const v = (name: string, type: Variable["type"] = "string", extra: Partial<Variable> = {}): Variable => ({
  name,
  type,
  required: true,
  enumValues: [],
  description: "",
  ...extra,
});
const draft = (sections: Section[], variables: Variable[]): Pick<PromptDraft, "sections" | "variables"> => ({
  sections,
  variables,
});

describe("analyzeDraft", () => {
  it("flags used-but-undeclared (error) and declared-but-unused (warning)", () => {
    const a = analyzeDraft(draft([sec("Hi {{name}}\n{{greeting}}")], [v("name"), v("unused")]));
    expect(a.undeclared).toEqual(["greeting"]);
    expect(a.unused).toEqual(["unused"]);
    expect(a.issues).toContainEqual(
      expect.objectContaining({
        code: "undeclared",
        severity: "error",
        sectionIndex: 0,
        line: 2,
        variable: "greeting",
      }),
    );
    expect(a.issues).toContainEqual(
      expect.objectContaining({ code: "unused", severity: "warning", path: ["variables", 1, "name"] }),
    );
  });

  it("downgrades problems in disabled sections to warnings", () => {
    const a = analyzeDraft(draft([sec("{{#if x}}", { enabled: false }), sec("{{ghost}}", { enabled: false })], []));
    expect(a.issues.every((i) => i.severity === "warning")).toBe(true);
    expect(a.issues.map((i) => i.code).sort()).toEqual(["syntax", "undeclared"]);
  });

  it("checks how a variable is used against its type", () => {
    const a = analyzeDraft(
      draft(
        [sec("{{#each tone}}x{{/each}}\n{{customer.name}}\n{{tags}}\n{{tags.length}} {{tags.[0]}}")],
        [v("tone", "enum", { enumValues: ["a"] }), v("customer"), v("tags", "list")],
      ),
    );
    const misuse = a.issues.filter((i) => i.code === "type-misuse");
    expect(misuse.map((i) => [i.severity, i.line, i.variable])).toEqual([
      ["error", 1, "tone"],
      ["error", 2, "customer"],
      ["warning", 3, "tags"],
    ]);
    expect(misuse[0]!.message).toMatch(/needs a list \(or an object\), but "tone" is an enum/);
  });

  it("rejects variable names that are helpers and defaults of the wrong type", () => {
    const a = analyzeDraft(draft([sec("{{n}}")], [v("json"), v("n", "number", { default: "ten" as never })]));
    expect(a.issues).toContainEqual(expect.objectContaining({ code: "reserved-name", path: ["variables", 0, "name"] }));
    expect(a.issues).toContainEqual(expect.objectContaining({ code: "wrong-type", path: ["variables", 1, "default"] }));
  });

  it("follows snippets, reports missing ones, cycles and syntax errors inside them", () => {
    const partials = {
      sig: "Regards, {{agent}}\n{{> legal}}",
      legal: "© {{year}}",
      loop: "{{> loop2}}",
      loop2: "{{> loop}}",
      bad: "{{#if x}}",
    };
    const a = analyzeDraft(
      draft([sec("Body\n{{> sig}}\n{{> nope}}\n{{> loop}}\n{{> bad}}")], [v("agent"), v("year", "number")]),
      partials,
    );
    expect(a.used.get("agent")![0]).toMatchObject({ line: 2, partial: "sig" });
    expect(a.used.get("year")![0]).toMatchObject({ line: 2, partial: "legal" });
    const codes = a.issues.filter((i) => i.severity === "error").map((i) => [i.code, i.line]);
    expect(codes).toEqual([
      ["missing-partial", 3],
      ["partial-cycle", 4],
      ["syntax", 5],
    ]);
  });
});

describe("resolveValues", () => {
  const d = draft(
    [
      sec(
        "{{topic}}\n{{#if extra}}{{extra}}{{/if}}\n{{count}} {{mode}} {{flag}}\n{{#each items}}{{this}}{{/each}}\n{{note}}",
      ),
    ],
    [
      v("topic"),
      v("extra", "text", { required: false }),
      v("count", "number", { default: 3 }),
      v("mode", "enum", { enumValues: ["fast", "slow"], default: "fast" }),
      v("flag", "boolean", { required: false }),
      v("items", "list", { required: false }),
      v("note", "string", { required: false }),
    ],
  );
  const a = analyzeDraft(d);

  it("uses given values, then defaults", () => {
    const r = resolveValues(a, { topic: "Cats", count: 5 });
    expect(r.input).toMatchObject({ topic: "Cats", count: 5, mode: "fast", items: [], flag: false });
    expect(r.issues.filter((i) => i.severity === "error")).toEqual([]);
  });

  it("reports a missing required value at its field and at each place it is used", () => {
    const r = resolveValues(a, { topic: "" });
    const errs = r.issues.filter((i) => i.code === "missing-required");
    expect(errs.map((i) => i.path)).toEqual([
      ["values", "topic"],
      ["sections", 0, "template"],
    ]);
    expect(errs[1]).toMatchObject({ sectionIndex: 0, line: 1, severity: "error" });
  });

  it("warns when an optional value prints as nothing outside a condition", () => {
    const r = resolveValues(a, { topic: "x" });
    const w = r.issues.filter((i) => i.code === "empty-optional");
    // "extra" is printed only inside {{#if extra}}: no warning there.
    expect(w.map((i) => [i.variable, i.line])).toEqual([
      ["flag", 3],
      ["note", 5],
    ]);
  });

  it("reports values of the wrong type", () => {
    const r = resolveValues(a, { topic: 42, count: "many", mode: "medium", flag: "yes", items: "a,b" });
    const fields = r.issues.filter((i) => i.code === "wrong-type" && i.path[0] === "values").map((i) => i.path[1]);
    expect(fields).toEqual(["topic", "count", "mode", "flag", "items"]);
    expect(r.issues.find((i) => i.variable === "mode")!.message).toMatch(/must be one of "fast", "slow", got "medium"/);
  });

  it("does not block on a required variable nobody uses", () => {
    const b = analyzeDraft(draft([sec("static")], [v("lonely")]));
    expect(resolveValues(b, {}).issues.every((i) => i.severity === "warning")).toBe(true);
  });
});

describe("values from forms", () => {
  it("parses numbers, booleans and lists", () => {
    expect(parseFormValue("number", "1_000")).toBe(1000);
    expect(parseFormValue("number", "abc")).toBe("abc");
    expect(parseFormValue("number", " ")).toBeUndefined();
    expect(parseFormValue("boolean", true)).toBe(true);
    expect(parseFormValue("boolean", "false")).toBe(false);
    expect(parseFormValue("list", "a\n\n b \n")).toEqual(["a", "b"]);
    expect(parseFormValue("text", "x\ny")).toBe("x\ny");
  });

  it("explains why a value does not fit", () => {
    expect(valueProblem(v("n", "number"), NaN)).toMatch(/not a number/);
    expect(valueProblem(v("l", "list"), ["a", 1])).toMatch(/item 2 must be a string, got the number 1/);
    expect(valueProblem(v("s"), "ok")).toBeNull();
  });

  it("infers declarations from how undeclared names are used", () => {
    const a = analyzeDraft(draft([sec("{{#each rows}}{{/each}}{{#if vip}}x{{/if}}{{title}}{{json}}")], []));
    expect(inferDeclarations(a).map((x) => [x.name, x.type, x.required])).toEqual([
      ["rows", "list", true],
      ["vip", "boolean", false],
      ["title", "string", true],
    ]);
  });
});
