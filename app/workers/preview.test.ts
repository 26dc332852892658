import { describe, expect, it } from "vitest";
import type { TemplateRenderer } from "~/prompt/render";
import { PreviewEngine } from "./preview";
import type { PreviewRequest, PreviewResult } from "./render-protocol";

const request = (id: number, template: string, model = "gpt-4o"): PreviewRequest => ({
  type: "preview",
  id,
  draft: {
    sections: [{ kind: "task", title: "Task", enabled: true, template, examples: [] }],
    variables: [{ name: "topic", type: "string", required: true, enumValues: [], description: "" }],
    modelSettings: { model, stop: [] },
  },
  values: { topic: "vector clocks" },
  partials: {},
});

describe("PreviewEngine", () => {
  it("renders, suggests declarations, and delivers the budget once the tokenizer has loaded", async () => {
    const refreshed: PreviewResult[] = [];
    const engine = new PreviewEngine({ onRefresh: (r) => refreshed.push(r) });
    const first = await engine.compute(request(1, "Explain {{topic}} to {{#if audience}}{{audience}}{{/if}}."));
    expect(first.id).toBe(1);
    expect(first.undeclared).toEqual(["audience"]);
    expect(first.declarations).toEqual([
      { name: "audience", type: "string", required: false, enumValues: [], description: "" },
    ]);
    expect(first.ok).toBe(false); // an undeclared variable is an error
    // The encoder loads in the background; the latest request is recomputed with it.
    await expect.poll(() => refreshed.length, { timeout: 20_000 }).toBe(1);
    expect(refreshed[0]!.id).toBe(1);
    expect(first.budget).toBeNull();
    expect(refreshed[0]!.budget?.model.id).toBe("gpt-4o");

    const second = await engine.compute(request(2, "Explain {{topic}}."));
    expect(second.ok).toBe(true);
    expect(second.sections[0]!.text).toBe("Explain vector clocks.");
    expect(second.budget?.inputTokens).toBeGreaterThan(5);
    expect(second.declarations).toEqual([]);
  });

  it("renders through the given renderer (the server fallback)", async () => {
    const calls: string[] = [];
    const renderer: TemplateRenderer = async (jobs) =>
      jobs.map((j) => (calls.push(j.template), { text: `remote:${j.template}` }));
    const engine = new PreviewEngine({ renderer });
    const r = await engine.compute(request(1, "Remote {{topic}} only"));
    expect(calls).toEqual(["Remote {{topic}} only"]);
    expect(r.sections[0]!.text).toBe("remote:Remote {{topic}} only");
  });
});
