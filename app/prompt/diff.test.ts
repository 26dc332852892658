import { describe, expect, it } from "vitest";
import { changeStats, diffDrafts, diffText, type TextOp } from "./diff";
import type { PromptDraft, Section } from "./draft";

const sec = (id: string, template: string, over: Partial<Section> = {}): Section => ({
  id,
  kind: "custom",
  title: id.toUpperCase(),
  template,
  enabled: true,
  examples: [],
  ...over,
});
const draft = (sections: Section[], over: Partial<PromptDraft> = {}): PromptDraft => ({
  sections,
  variables: [],
  modelSettings: { model: "gpt-4o", stop: [] },
  ...over,
});
const rebuild = (ops: TextOp[], side: "before" | "after") =>
  ops
    .filter((o) => o.op === "eq" || o.op === (side === "before" ? "del" : "add"))
    .map((o) => o.text)
    .join("");

describe("diffText", () => {
  it("marks changed words inside changed lines and keeps both texts recoverable", () => {
    const a = "You are a helpful assistant.\nAnswer briefly.\nUse English.";
    const b = "You are a patient assistant.\nAnswer briefly.\nUse English and French.";
    const ops = diffText(a, b);
    expect(rebuild(ops, "before")).toBe(a);
    expect(rebuild(ops, "after")).toBe(b);
    expect(ops.filter((o) => o.op === "del").map((o) => o.text.trim())).toContain("helpful");
    expect(ops.filter((o) => o.op === "add").map((o) => o.text.trim())).toContain("patient");
    expect(changeStats(ops)).toEqual({ added: 3, removed: 1 });
  });

  it("handles empty and identical texts", () => {
    expect(diffText("", "")).toEqual([]);
    expect(diffText("same", "same")).toEqual([{ op: "eq", text: "same" }]);
    expect(diffText("", "new")).toEqual([{ op: "add", text: "new" }]);
    expect(diffText("old", "")).toEqual([{ op: "del", text: "old" }]);
  });

  it("stays fast on two long, different texts", () => {
    const words = (seed: number) => Array.from({ length: 20_000 }, (_, i) => `w${(i * seed) % 997}`).join(" ");
    const t = performance.now();
    const ops = diffText(words(7), words(13));
    expect(performance.now() - t).toBeLessThan(5_000);
    expect(rebuild(ops, "after")).toBe(words(13));
  });
});

describe("diffDrafts", () => {
  it("tells added, removed, moved and changed sections apart", () => {
    const before = draft([sec("a", "alpha"), sec("b", "beta"), sec("c", "gamma"), sec("d", "delta"), sec("f", "phi")]);
    const after = draft([
      sec("b", "beta two"),
      sec("c", "gamma"),
      sec("a", "alpha"),
      sec("e", "epsilon"),
      sec("f", "phi"),
    ]);
    const d = diffDrafts(before, after);
    const view = d.sections.map((s) => [s.before?.id ?? null, s.after?.id ?? null, s.status, s.moved]);
    expect(view).toEqual([
      ["b", "b", "changed", false],
      ["c", "c", "unchanged", false],
      ["a", "a", "unchanged", true],
      ["d", null, "removed", false],
      [null, "e", "added", false],
      ["f", "f", "unchanged", false],
    ]);
    expect(d.summary).toMatchObject({ added: 1, removed: 1, changed: 1, moved: 1 });
  });

  it("matches sections without shared ids by kind and title; reports title and enabled changes", () => {
    const before = draft([
      sec("x1", "Be kind", { kind: "system", title: "Role" }),
      sec("x2", "Do it", { kind: "task", title: "Task" }),
    ]);
    const after = draft([
      sec("y1", "Be kind", { kind: "system", title: "Role", enabled: false }),
      sec("y2", "Do it", { kind: "task", title: "The task" }),
    ]);
    const d = diffDrafts(before, after);
    expect(d.sections.map((s) => [s.status, s.fields])).toEqual([
      ["changed", ["enabled"]],
      ["removed", []],
      ["added", []],
    ]);
  });

  it("diffs variables by name and model settings by field", () => {
    const before = draft([], {
      variables: [
        { name: "topic", type: "string", required: true, enumValues: [], description: "" },
        { name: "old", type: "number", required: false, enumValues: [], description: "" },
      ],
      modelSettings: { model: "gpt-4o", temperature: 0.2, stop: [] },
    });
    const after = draft([], {
      variables: [
        { name: "topic", type: "enum", required: true, enumValues: ["a", "b"], description: "" },
        { name: "fresh", type: "boolean", required: false, enumValues: [], description: "" },
      ],
      modelSettings: { model: "claude-sonnet-4-5", temperature: 0.2, maxTokens: 500, stop: [] },
    });
    const d = diffDrafts(before, after);
    expect(d.variables.map((v) => [v.name, v.status])).toEqual([
      ["topic", "changed"],
      ["fresh", "added"],
      ["old", "removed"],
    ]);
    expect(d.variables[0]!.changes.map((c) => c.field)).toEqual(["type", "enumValues"]);
    expect(d.settings).toEqual([
      { field: "model", before: "gpt-4o", after: "claude-sonnet-4-5" },
      { field: "maxTokens", before: undefined, after: 500 },
    ]);
    expect(diffDrafts(before, before).identical).toBe(true);
  });
});
