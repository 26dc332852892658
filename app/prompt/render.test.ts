import { describe, expect, it } from "vitest";
import type { Section, Variable } from "./draft";
import { formatIssue } from "./issues";
import { renderDraft, renderTemplate } from "./render";

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

describe("renderDraft", () => {
  it("renders variables through dotprompt", async () => {
    const r = await renderDraft(
      { sections: [sec("Hello {{name}}!")], variables: [v("name")] },
      { values: { name: "Ada" } },
    );
    expect(r.ok).toBe(true);
    expect(r.sections[0]!.text).toBe("Hello Ada!");
  });

  it("renders conditionals with else, unless and ifEquals", async () => {
    const t =
      '{{#if vip}}VIP{{else}}regular{{/if}} {{#unless muted}}loud{{/unless}} {{#ifEquals tone "formal"}}Dear{{else}}Hi{{/ifEquals}}';
    const vars = [
      v("vip", "boolean"),
      v("muted", "boolean", { default: false }),
      v("tone", "enum", { enumValues: ["formal", "casual"] }),
    ];
    const a = await renderDraft({ sections: [sec(t)], variables: vars }, { values: { vip: true, tone: "formal" } });
    expect(a.sections[0]!.text).toBe("VIP loud Dear");
    const b = await renderDraft(
      { sections: [sec(t)], variables: vars },
      { values: { vip: false, muted: true, tone: "casual" } },
    );
    expect(b.sections[0]!.text).toBe("regular  Hi");
  });

  it("renders loops with @index, @first/@last, ../ and else for an empty list", async () => {
    const t = "{{#each items}}{{@index}}. {{this}} ({{../owner}}){{#unless @last}}, {{/unless}}{{else}}none{{/each}}";
    const vars = [v("items", "list", { required: false }), v("owner")];
    const a = await renderDraft(
      { sections: [sec(t)], variables: vars },
      { values: { items: ["a", "b"], owner: "me" } },
    );
    expect(a.sections[0]!.text).toBe("0. a (me), 1. b (me)");
    const b = await renderDraft({ sections: [sec(t)], variables: vars }, { values: { items: [], owner: "me" } });
    expect(b.sections[0]!.text).toBe("none");
  });

  it("renders the json helper and keeps text unescaped", async () => {
    const r = await renderDraft(
      { sections: [sec("{{json tags}} <b>{{q}}</b> & 'x'")], variables: [v("tags", "list"), v("q")] },
      { values: { tags: ["a", "b"], q: "<i>&</i>" } },
    );
    expect(r.sections[0]!.text).toBe('["a","b"] <b><i>&</i></b> & \'x\'');
  });

  it("includes snippets as partials, with their own variables", async () => {
    const partials = { signature: "— {{agent}}, {{> team}}", team: "Support team" };
    const r = await renderDraft(
      { sections: [sec("Thanks!\n{{> signature}}")], variables: [v("agent")] },
      { values: { agent: "Sam" }, partials },
    );
    expect(r.ok).toBe(true);
    expect(r.sections[0]!.text).toBe("Thanks!\n— Sam, Support team");
    // A snippet edited later renders its new text.
    const r2 = await renderDraft(
      { sections: [sec("{{> team}}")], variables: [] },
      { partials: { team: "Platform team" } },
    );
    expect(r2.sections[0]!.text).toBe("Platform team");
  });

  it("keeps unicode and emoji intact", async () => {
    const r = await renderDraft(
      { sections: [sec("Grüße {{name}} 👋🏽 — 你好 {{emoji}}")], variables: [v("name"), v("emoji")] },
      { values: { name: "Zoë", emoji: "🧑‍💻" } },
    );
    expect(r.sections[0]!.text).toBe("Grüße Zoë 👋🏽 — 你好 🧑‍💻");
  });

  it("regression (issue 9 §2): front matter typed into a section is refused at its line, not sent as text", async () => {
    const r = await renderDraft(
      { sections: [sec("\n---\nmodel: x\n---\nbody {{a}}")], variables: [v("a")] },
      { values: { a: "1" } },
    );
    expect(r.ok).toBe(false);
    expect(r.issues[0]).toMatchObject({ code: "refused", severity: "error", line: 2, sectionIndex: 0 });
    expect(r.issues[0]!.message).toMatch(/front matter .* would be sent to the model as text/);
    // A horizontal rule alone is text.
    const rule = await renderDraft({ sections: [sec("a\n---\nb")], variables: [] });
    expect(rule.sections[0]!.text).toBe("a\n---\nb");
  });

  it("skips disabled sections without complaining about their variables", async () => {
    const r = await renderDraft({ sections: [sec("on"), sec("off {{missing}}", { enabled: false })], variables: [] });
    expect(r.ok).toBe(true);
    expect(r.sections.map((s) => s.text)).toEqual(["on", null]);
    expect(r.issues.map((i) => i.severity)).toEqual(["warning"]);
  });

  describe("never renders an empty string in place of a problem", () => {
    it("missing required variable → error at section and line, section not rendered", async () => {
      const sections = [sec("intro"), sec("Line one\nAbout {{topic}}", { title: "Brief" })];
      const r = await renderDraft({ sections, variables: [v("topic")] }, { values: {} });
      expect(r.ok).toBe(false);
      expect(r.sections[1]!.text).toBeNull();
      expect(r.sections[0]!.text).toBe("intro");
      const issue = r.issues.find((i) => i.code === "missing-required" && i.sectionIndex === 1)!;
      expect(formatIssue(issue, sections)).toBe('Brief (section 2), line 2: "topic" is required but has no value');
    });

    it("wrong type → error", async () => {
      const r = await renderDraft(
        { sections: [sec("{{n}}")], variables: [v("n", "number")] },
        { values: { n: "twelve" } },
      );
      expect(r.ok).toBe(false);
      expect(r.issues[0]).toMatchObject({ code: "wrong-type", severity: "error" });
    });

    it("syntax error → error with line", async () => {
      const r = await renderDraft(
        { sections: [sec("a\nb {{#each xs}}\nc")], variables: [v("xs", "list")] },
        { values: { xs: [] } },
      );
      expect(r.ok).toBe(false);
      // The line where the block opens, naming it (issue 9 §6).
      expect(r.issues[0]).toMatchObject({ code: "syntax", line: 2, sectionIndex: 0 });
      expect(r.issues[0]!.message).toBe("{{#each xs}} opened on line 2 is never closed — add {{/each}} where it ends");
    });

    it("undeclared variable → error", async () => {
      const r = await renderDraft({ sections: [sec("{{who}}")], variables: [] });
      expect(r.ok).toBe(false);
      expect(r.issues[0]).toMatchObject({ code: "undeclared", variable: "who", line: 1 });
    });

    it("unknown helper, missing snippet and snippet cycle → errors", async () => {
      const r = await renderDraft(
        { sections: [sec("{{upper x}}"), sec("{{> ghost}}"), sec("{{> a}}")], variables: [v("x")] },
        { values: { x: "1" }, partials: { a: "{{> a}}" } },
      );
      expect(r.issues.filter((i) => i.severity === "error").map((i) => i.code)).toEqual([
        "unknown-helper",
        "missing-partial",
        "partial-cycle",
      ]);
      expect(r.sections.every((s) => s.text === null)).toBe(true);
    });

    it("an error thrown while rendering becomes a render issue", async () => {
      // Valid syntax that Handlebars refuses only when it runs.
      const r = await renderDraft({ sections: [sec("ok\n{{#each}}x{{/each}}")], variables: [] });
      expect(r.ok).toBe(false);
      expect(r.sections[0]!.text).toBeNull();
      expect(r.issues[0]).toMatchObject({ code: "render", sectionIndex: 0, line: 2 });
      expect(r.issues[0]!.message).toMatch(/Must pass iterator to #each/);
    });
  });

  it("renders a 100k-token prompt", { timeout: 60_000 }, async () => {
    const paragraph = "The quick brown fox jumps over the lazy dog, then considers {{topic}} carefully. ";
    const sections = Array.from({ length: 50 }, (_, i) =>
      sec(`Part ${i}: ` + paragraph.repeat(120), { title: `Part ${i}` }),
    );
    const t0 = performance.now();
    const r = await renderDraft({ sections, variables: [v("topic")] }, { values: { topic: "prompt budgets 📈" } });
    const ms = performance.now() - t0;
    expect(r.ok).toBe(true);
    expect(r.sections.map((s) => s.text!.length).reduce((a, b) => a + b, 0)).toBeGreaterThan(400_000);
    expect(r.conversation![0]!.content[0]).toMatchObject({ text: expect.stringContaining("prompt budgets 📈") });
    // A figure, not an assertion (timing assertions fail on a loaded machine): sections and the
    // whole-prompt conversation are each rendered once.
    console.info(`100k-token prompt rendered (sections + conversation) in ${ms.toFixed(0)} ms`);
  });
});

describe("renderTemplate", () => {
  it("flattens dotprompt role markers into text", async () => {
    expect(await renderTemplate('{{role "system"}}A{{role "user"}}B', {})).toBe("A\n\nB");
  });
});

describe("pluggable renderer", () => {
  it("renders through an injected renderer and caches by template and values", async () => {
    let calls = 0;
    const renderer = async (jobs: Array<{ template: string; input: Record<string, unknown> }>) => {
      calls += jobs.length;
      return jobs.map((j) =>
        j.template.includes("boom")
          ? { error: { message: "Must pass iterator to #each" } }
          : { text: `<${j.template}|${String(j.input.x)}>` },
      );
    };
    const draft = { sections: [sec("a{{x}}"), sec("b{{x}}"), sec("{{#each}}{{/each}} boom")], variables: [v("x")] };
    const r = await renderDraft(draft, { values: { x: "1" }, renderer });
    expect(r.sections.map((s) => s.text)).toEqual(["<a{{x}}|1>", "<b{{x}}|1>", null]);
    expect(r.issues[0]).toMatchObject({ code: "render", sectionIndex: 2, line: 1 });
    await renderDraft(draft, { values: { x: "1" }, renderer });
    expect(calls).toBe(4); // the two good sections came from the cache; the failing one is retried
  });

  it("reports whether templates can be compiled here", async () => {
    const { canCompileTemplates } = await import("./render");
    expect(canCompileTemplates()).toBe(true);
  });
});
