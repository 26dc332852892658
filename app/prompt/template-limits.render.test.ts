import Handlebars from "handlebars/dist/cjs/handlebars.js";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Section, Variable } from "./draft";
import { localRenderer, renderDraft } from "./render";
import { analyzeTemplate } from "./template-ast";
import { MAX_LIST_ITEMS, MAX_RENDERED_CHARS, MAX_TEMPLATE_DEPTH } from "./template-limits";

const sec = (template: string, title = "S"): Section => ({
  kind: "task",
  title,
  template,
  enabled: true,
  examples: [],
});
const list = (name: string): Variable => ({ name, type: "list", required: true, enumValues: [], description: "" });
const text = (name: string): Variable => ({ name, type: "string", required: true, enumValues: [], description: "" });
const nested = (depth: number) => "{{#if flag}}\n".repeat(depth) + "x" + "{{/if}}".repeat(depth);

afterEach(() => vi.restoreAllMocks());

describe("template limits in rendering", () => {
  it("refuses a too-deep template at its line without handing it to Handlebars", async () => {
    const template = "Intro\n" + nested(8000);
    const parse = vi.spyOn(Handlebars, "parse");
    const t0 = performance.now();
    const r = await renderDraft(
      { sections: [sec(template)], variables: [{ ...text("flag"), type: "boolean" }] },
      { values: { flag: true } },
    );
    expect(performance.now() - t0).toBeLessThan(1_000);
    expect(parse.mock.calls.some(([source]) => source === template)).toBe(false);
    expect(r.ok).toBe(false);
    expect(r.issues[0]).toMatchObject({
      severity: "error",
      code: "limit",
      sectionIndex: 0,
      line: MAX_TEMPLATE_DEPTH + 2,
      path: ["sections", 0, "template"],
    });
    expect(analyzeTemplate(template).errors[0]?.code).toBe("limit");
  });

  it("stops a 200-section loop prompt at the output cap instead of building it all", async () => {
    // The hostile prompt of issue 10, with lists at their cap: 200 × 1,000 × 80 = 16 MB if built.
    const sections = Array.from({ length: 200 }, (_, i) =>
      sec(`Section ${i}\n{{#each items}}- {{this}}\n{{/each}}`, `S${i}`),
    );
    const items = Array.from({ length: MAX_LIST_ITEMS }, (_, i) => `item ${i} `.padEnd(76, "."));
    const t0 = performance.now();
    const r = await renderDraft({ sections, variables: [list("items")] }, { values: { items } });
    const ms = performance.now() - t0;
    expect(r.ok).toBe(false);
    const limit = r.issues.filter((i) => i.code === "limit");
    expect(limit).toHaveLength(1);
    expect(limit[0]!.message).toMatch(/^the rendered prompt is at least 2(\.\d)? MB, over the 2 MB limit$/);
    const rendered = r.sections.filter((s) => s.text !== null);
    // It stopped within the section that crossed 2 MB: 80 kB per section, so about 25 sections.
    expect(rendered.length).toBeLessThan(30);
    expect(rendered.reduce((n, s) => n + s.text!.length, 0)).toBeLessThanOrEqual(MAX_RENDERED_CHARS);
    console.info(
      `200 × ${MAX_LIST_ITEMS} loop prompt refused after ${rendered.length} sections in ${ms.toFixed(0)} ms`,
    );
  });

  // 30 × 80 kB: 2.4 MB. The first render stops near section 25; the next finds those cached.
  it("keeps refusing when asked again, though the sections rendered before are cached", async () => {
    const sections = Array.from({ length: 30 }, (_, i) =>
      sec(`Again ${i}\n{{#each items}}- {{this}}\n{{/each}}`, `S${i}`),
    );
    const items = Array.from({ length: MAX_LIST_ITEMS }, (_, i) => `again ${i} `.padEnd(76, "."));
    for (let attempt = 0; attempt < 4; attempt++) {
      const r = await renderDraft({ sections, variables: [list("items")] }, { values: { items } });
      expect(r.ok).toBe(false);
      expect(r.issues.filter((i) => i.code === "limit")).toHaveLength(1);
    }
  });

  it("stops nested loops that multiply past the iteration cap", async () => {
    const items = Array.from({ length: MAX_LIST_ITEMS }, () => "");
    const t0 = performance.now();
    const r = await renderDraft(
      {
        sections: [sec("{{#each items}}{{#each @root.items}}{{#each @root.items}}{{/each}}{{/each}}{{/each}}")],
        variables: [list("items")],
      },
      { values: { items } },
    );
    expect(performance.now() - t0).toBeLessThan(5_000);
    expect(r.ok).toBe(false);
    expect(r.issues[0]).toMatchObject({ code: "limit", sectionIndex: 0 });
    expect(r.issues[0]!.message).toMatch(/loops run more than/);
  });

  it("refuses values over their caps with the path of the value, rendering nothing", async () => {
    const r = await renderDraft(
      {
        sections: [sec("{{#each items}}{{this}}{{/each}}"), sec("{{topic}}")],
        variables: [list("items"), text("topic")],
      },
      { values: { items: Array(MAX_LIST_ITEMS + 1).fill("a"), topic: "fine" } },
    );
    expect(r.ok).toBe(false);
    expect(r.issues.filter((i) => i.code === "limit").map((i) => i.path)).toEqual([["values", "items"]]);
    expect(r.sections.every((s) => s.text === null)).toBe(true);
  });

  it("refuses templates that print large values thousands of times, before building the text", async () => {
    const parse = vi.spyOn(Handlebars, "parse");
    const template = "{{topic}}\n".repeat(4_000);
    const r = await renderDraft(
      { sections: [sec("Intro"), sec(template)], variables: [text("topic")] },
      { values: { topic: "z".repeat(50_000) } },
    );
    expect(r.ok).toBe(false);
    expect(r.issues.filter((i) => i.code === "limit")).toEqual([
      expect.objectContaining({
        path: ["sections", 1, "template"],
        line: 1,
        variable: "topic",
        message: expect.stringMatching(/print their values 4,000 times: 200\.0 MB in all, over the 2 MB limit/),
      }),
    ]);
    expect(r.sections.every((s) => s.text === null)).toBe(true);
    // Analysed (parsed) once, never compiled: dotprompt's compile would parse again.
    expect(parse.mock.calls.filter(([source]) => source === template).length).toBeLessThanOrEqual(1);
    // A few prints of the same value are fine.
    const ok = await renderDraft(
      { sections: [sec("{{topic}} {{topic}}")], variables: [text("topic")] },
      { values: { topic: "z".repeat(50_000) } },
    );
    expect(ok.ok).toBe(true);
  });

  it("gives the server's renderer the same caps (the builder's fallback route calls it directly)", async () => {
    const outcomes = await localRenderer(
      [
        { template: nested(MAX_TEMPLATE_DEPTH + 1), input: {} },
        {
          template: "{{#each items}}{{this}}{{/each}}",
          input: { items: Array(MAX_LIST_ITEMS).fill("y".repeat(3_000)) },
        },
        { template: "never rendered", input: {} },
      ],
      {},
    );
    expect(outcomes[0]).toMatchObject({ error: { limit: true, lineNumber: MAX_TEMPLATE_DEPTH + 1 } });
    expect(outcomes[1]).toMatchObject({ error: { limit: true } });
    expect(outcomes[2]).toMatchObject({ error: { skipped: true } });
  });

  it("still renders prompts within the caps, loops and sections included", async () => {
    const r = await renderDraft(
      {
        sections: [sec("{{#each items}}{{this}};{{/each}}"), sec("{{#items}}<{{this}}>{{/items}}")],
        variables: [list("items")],
      },
      { values: { items: ["a", "b"] } },
    );
    expect(r.ok).toBe(true);
    expect(r.sections.map((s) => s.text)).toEqual(["a;b;", "<a><b>"]);
  });
});
