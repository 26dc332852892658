import { describe, expect, it } from "vitest";
import { convertTemplate, langfuseToBundle } from "./langfuse";

const chat = (version: number, labels: string[], extra: object = {}) => ({
  id: `p${version}`,
  name: "support/refund-reply",
  version,
  type: "chat",
  prompt: [
    { role: "system", content: "You are {{tone}} support." },
    { type: "placeholder", name: "history" + "_msgs" },
    { role: "user", content: "Customer says: {{ message }}" },
    { role: "assistant", content: "Let me check." },
    { role: "user", content: "Thanks" },
  ],
  config: { model: "gpt-4o-mini", temperature: 0.2, max_tokens: 300, response_format: { type: "json_object" } },
  labels,
  tags: ["Support", "refunds"],
  commitMessage: `v${version}`,
  resolutionGraph: null,
  ...extra,
});

describe("convertTemplate", () => {
  it("keeps {{var}} and escapes every other mustache so it stays literal", () => {
    expect(convertTemplate("Hi {{ name }}! {{> secret}} {{#each x}}{{/each}} {{history}}")).toEqual({
      template: "Hi {{name}}! \\{{> secret}} \\{{#each x}}\\{{/each}} \\{{history}}",
      variables: ["name"],
    });
  });
});

describe("langfuseToBundle", () => {
  it("maps versions, labels (not latest), tags, folders, config and chat roles", () => {
    const r = langfuseToBundle([chat(2, ["production", "latest"]), chat(1, ["staging"])]);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const p = r.bundle.prompts[0]!;
    expect(p).toMatchObject({ slug: "support-refund-reply", name: "refund-reply", folder: "support", headVersion: 2 });
    expect(p.tags).toEqual(["refunds", "support"]);
    expect(p.labels.map((l) => [l.name, l.version])).toEqual([
      ["production", 2],
      ["staging", 1],
    ]);
    const v = p.versions[1]!;
    expect(v.modelSettings).toMatchObject({ model: "gpt-4o-mini", temperature: 0.2, maxTokens: 300 });
    expect(v.message).toBe("v2 [config not kept: response_format]");
    expect(v.sections.map((s) => [s.kind, s.template])).toEqual([
      ["system", "You are {{tone}} support."],
      ["custom", "{{history}}"],
      ["task", '{{role "user"}}\nCustomer says: {{message}}'],
      ["custom", '{{role "model"}}\nLet me check.'],
      ["task", '{{role "user"}}\nThanks'],
    ]);
    expect(v.variables.map((x) => [x.name, x.type])).toEqual([
      ["tone", "text"],
      ["message", "text"],
      ["history_msgs", "messages"],
    ]);
  });

  it("maps a text prompt to one task section", () => {
    const r = langfuseToBundle([
      {
        name: "movie-critic",
        version: 1,
        type: "text",
        prompt: "As a {{criticLevel}} critic, {{movie}}?",
        config: { model: "gpt-4o", temperature: 0.5, supported_languages: ["en"] },
        labels: ["production", "latest"],
        tags: ["movies"],
      },
    ]);
    expect(r.ok).toBe(true);
    if (r.ok)
      expect(r.bundle.prompts[0]!.versions[0]!.sections[0]).toMatchObject({
        kind: "task",
        template: "As a {{criticLevel}} critic, {{movie}}?",
      });
  });

  it("refuses hostile and broken input with the path of the Langfuse object", () => {
    expect(langfuseToBundle({ name: "x" })).toMatchObject({ ok: false, status: 422 });
    expect(langfuseToBundle([])).toMatchObject({ ok: false });
    const badTemp = langfuseToBundle([chat(1, [], { config: { temperature: 9 } })]);
    expect(badTemp.ok).toBe(false);
    if (!badTemp.ok) expect(badTemp.issues[0]!.path.slice(0, 1)).toEqual([0]);
    const badRole = langfuseToBundle([chat(1, [], { prompt: [{ role: "tool", content: "x" }] })]);
    expect(badRole).toMatchObject({ ok: false, issues: [{ path: [0, "prompt", 0, "role"] }] });
    const badLabel = langfuseToBundle([chat(1, ["Prod Uction!"])]);
    expect(badLabel.ok).toBe(false);
    const twoPlaceholders = langfuseToBundle([
      chat(1, [], {
        prompt: [
          { type: "placeholder", name: "a" },
          { type: "placeholder", name: "b" },
        ],
      }),
    ]);
    expect(twoPlaceholders.ok).toBe(false);
    const proto = langfuseToBundle([chat(1, [], { prompt: [{ role: "__proto__", content: "x" }] })]);
    expect(proto.ok).toBe(false);
    let deep: unknown = {};
    for (let i = 0; i < 5000; i++) deep = { config: deep };
    expect(langfuseToBundle([{ name: "d", version: 1, prompt: "x", config: deep }])).toMatchObject({
      ok: false,
      status: 400,
    });
  });
});
