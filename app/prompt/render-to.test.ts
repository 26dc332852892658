import { describe, expect, it } from "vitest";
import type { PromptDraft, Variable } from "./draft";
import { renderDraftTo } from "./render-to";

const v = (name: string, extra: Partial<Variable> = {}): Variable => ({
  name,
  type: "string",
  required: true,
  enumValues: [],
  description: "",
  ...extra,
});
const draft: PromptDraft = {
  sections: [
    { kind: "system", title: "Role", template: "You help {{team}}.", enabled: true, examples: [] },
    { kind: "task", title: "Task", template: "Answer {{question}}{{> sign}}", enabled: true, examples: [] },
  ],
  variables: [v("team"), v("question")],
  modelSettings: { model: "gpt-4o", stop: [] },
};

describe("renderDraftTo", () => {
  it("renders to a target with partials, and gives the target's request body", async () => {
    const out = await renderDraftTo(draft, "openai", { team: "support", question: "why?" }, { sign: " — Acme" });
    expect(out.ok).toBe(true);
    expect(out.issues).toEqual([]);
    expect(out.json).toMatchObject({
      model: "gpt-4o",
      messages: [
        { role: "system", content: "You help support." },
        { role: "user", content: "Answer why? — Acme" },
      ],
    });
    expect((await renderDraftTo(draft, "plain", { team: "a", question: "b" }, { sign: "" })).json).toBeUndefined();
  });

  it("reports only errors, and still gives what rendered", async () => {
    const out = await renderDraftTo(draft, "plain", { team: "support" }, { sign: "" });
    expect(out.ok).toBe(false);
    expect(out.issues.length).toBeGreaterThan(0);
    expect(out.issues.every((i) => i.severity === "error")).toBe(true);
    expect(out.issues.map((i) => i.path)).toContainEqual(["values", "question"]);
    expect(out.text).toContain("You help support.");
  });
});
