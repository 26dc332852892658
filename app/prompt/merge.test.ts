import { describe, expect, it } from "vitest";
import type { PromptDraft, Section } from "./draft";
import { applyMerge, planMerge } from "./merge";

const sec = (id: string, template: string): Section => ({
  id,
  kind: "custom",
  title: id,
  template,
  enabled: true,
  examples: [],
});
const draft = (sections: Section[], over: Partial<PromptDraft> = {}): PromptDraft => ({
  sections,
  variables: [],
  modelSettings: { model: "gpt-4o", stop: [] },
  ...over,
});
const texts = (d: PromptDraft) => d.sections.map((s) => `${s.id}:${s.template}`);

describe("three-way merge", () => {
  const base = draft([sec("a", "A"), sec("b", "B"), sec("c", "C")]);

  it("takes changes made on one side, and identical changes once", () => {
    const mine = draft([sec("a", "A mine"), sec("b", "B"), sec("c", "C both")]);
    const theirs = draft([sec("a", "A"), sec("b", "B theirs"), sec("c", "C both"), sec("d", "D new")]);
    const plan = planMerge(base, mine, theirs);
    expect(plan.conflicts).toBe(0);
    expect(texts(applyMerge(plan))).toEqual(["a:A mine", "b:B theirs", "c:C both", "d:D new"]);
  });

  it("keeps sections added on both sides in their places, and removals", () => {
    const mine = draft([sec("a", "A"), sec("m", "M"), sec("b", "B"), sec("c", "C")]);
    const theirs = draft([sec("a", "A"), sec("b", "B"), sec("t", "T")]);
    expect(texts(applyMerge(planMerge(base, mine, theirs)))).toEqual(["a:A", "m:M", "b:B", "t:T"]);
  });

  it("reports different changes to the same section as a conflict the user decides", () => {
    const mine = draft([sec("a", "A mine"), sec("b", "B"), sec("c", "C")]);
    const theirs = draft([sec("a", "A theirs"), sec("b", "B")]);
    const plan = planMerge(base, mine, theirs);
    expect(plan.conflicts).toBe(1);
    expect(plan.sections.find((s) => s.status === "conflict")!.key).toBe("b0");
    expect(texts(applyMerge(plan))).toEqual(["a:A mine", "b:B"]);
    expect(texts(applyMerge(plan, { "section:b0": "theirs" }))).toEqual(["a:A theirs", "b:B"]);
  });

  it("a change against a removal is a conflict; choosing the removal drops the section", () => {
    const mine = draft([sec("a", "A"), sec("b", "B edited"), sec("c", "C")]);
    const theirs = draft([sec("a", "A"), sec("c", "C")]);
    const plan = planMerge(base, mine, theirs);
    expect(plan.conflicts).toBe(1);
    expect(texts(applyMerge(plan))).toEqual(["a:A", "b:B edited", "c:C"]);
    expect(texts(applyMerge(plan, { "section:b1": "theirs" }))).toEqual(["a:A", "c:C"]);
  });

  it("merges variables by name and settings by field", () => {
    const b = draft([], { modelSettings: { model: "gpt-4o", temperature: 0.2, stop: [] } });
    const mine = draft([], {
      variables: [{ name: "x", type: "string", required: true, enumValues: [], description: "" }],
      modelSettings: { model: "gpt-4o", temperature: 0.7, stop: [] },
    });
    const theirs = draft([], {
      variables: [{ name: "y", type: "number", required: true, enumValues: [], description: "" }],
      modelSettings: { model: "gpt-4o-mini", temperature: 0.5, stop: [] },
    });
    const plan = planMerge(b, mine, theirs);
    expect(plan.conflicts).toBe(1);
    const merged = applyMerge(plan, { "setting:temperature": "theirs" });
    expect(merged.variables.map((v) => v.name).sort()).toEqual(["x", "y"]);
    expect(merged.modelSettings).toMatchObject({ model: "gpt-4o-mini", temperature: 0.5 });
  });

  it("does not see a change where only the key order differs (a version read from the database against a parsed draft)", () => {
    const withExample = (example: { input: string; output: string }): Section => ({
      ...sec("e", ""),
      kind: "examples",
      examples: [example],
    });
    // As the database gives them back: other key order, and `default` present but undefined.
    const fromDb = {
      description: "",
      enumValues: [],
      default: undefined,
      required: true,
      type: "string" as const,
      name: "x",
    };
    const parsed = { name: "x", type: "string" as const, required: true, enumValues: [], description: "" };
    const b = draft([withExample({ input: "hi", output: "hello" })], {
      variables: [fromDb],
      modelSettings: { model: "gpt-4o", stop: [] },
    });
    const theirs = draft([withExample({ output: "hello", input: "hi" })], {
      variables: [fromDb],
      modelSettings: { stop: [], model: "gpt-4o" },
    });
    const mine = draft([withExample({ input: "hi", output: "hello!" })], {
      variables: [{ ...parsed, required: false }],
    });
    const plan = planMerge(b, mine, theirs);
    expect(plan.conflicts).toBe(0);
    expect(plan.sections.map((s) => s.status)).toEqual(["mine"]);
    expect(plan.variables.map((v) => v.status)).toEqual(["mine"]);
    expect(planMerge(b, draft(b.sections, { variables: [parsed] }), theirs).variables.map((v) => v.status)).toEqual([
      "same",
    ]);
  });
});
