import { describe, expect, it } from "vitest";
import { promptDraftSchema } from "./draft";
import {
  draftForSave,
  duplicateSection,
  emptyDraft,
  insertSection,
  moveSection,
  newSection,
  normalizeDraft,
  removeSection,
  updateSection,
  withIds,
} from "./sections";

describe("section operations", () => {
  const list = [newSection("system"), newSection("context"), newSection("task")];

  it("creates sections with ids and kind defaults", () => {
    const ex = newSection("examples");
    expect(ex.examples).toEqual([{ input: "", output: "" }]);
    expect(ex.id).toMatch(/^s/);
    expect(newSection("task").id).not.toBe(newSection("task").id);
  });

  it("moves up, down and clamps at the ends", () => {
    expect(moveSection(list, 2, 0).map((s) => s.kind)).toEqual(["task", "system", "context"]);
    expect(moveSection(list, 0, 1).map((s) => s.kind)).toEqual(["context", "system", "task"]);
    expect(moveSection(list, 0, -1).map((s) => s.kind)).toEqual(["system", "context", "task"]);
    expect(moveSection(list, 2, 9).map((s) => s.kind)).toEqual(["system", "context", "task"]);
    expect(moveSection(list, 5, 0)).toEqual(list);
  });

  it("duplicates next to the original with a new id", () => {
    const d = duplicateSection(list, 1);
    expect(d).toHaveLength(4);
    expect(d[2]!.title).toBe("Context (copy)");
    expect(d[2]!.id).not.toBe(d[1]!.id);
  });

  it("inserts, removes and updates immutably", () => {
    expect(insertSection(list, newSection("custom"), 1)[1]!.kind).toBe("custom");
    expect(removeSection(list, 0).map((s) => s.kind)).toEqual(["context", "task"]);
    const u = updateSection(list, 1, { enabled: false });
    expect(u[1]!.enabled).toBe(false);
    expect(list[1]!.enabled).toBe(true);
  });

  it("fills missing or duplicate ids", () => {
    const [a, b] = withIds([
      { ...list[0]!, id: undefined },
      { ...list[1]!, id: "x" },
      { ...list[2]!, id: "x" },
    ]).map((s) => s.id);
    expect(a).toBeTruthy();
    expect(b).toBe("x");
  });

  it("keeps section ids in what it saves, so identity survives versions", () => {
    const d = emptyDraft();
    d.sections = withIds([...d.sections, newSection("examples")]);
    d.sections[0]!.examples = [{ input: "stray", output: "x" }];
    const saved = draftForSave(d);
    expect(saved.sections.map((s) => s.id)).toEqual(d.sections.map((s) => s.id));
    expect(saved.sections.every((s) => typeof s.id === "string" && s.id.length > 0)).toBe(true);
    expect(saved.sections[0]!.examples).toEqual([]);
    expect(saved.sections.at(-1)!.examples).toEqual([{ input: "", output: "" }]);
    expect(promptDraftSchema.parse(saved)).toEqual(saved);
  });

  it("normalises a draft for comparison (no ids, examples only on examples sections)", () => {
    const d = emptyDraft();
    d.sections[0]!.examples = [{ input: "stray", output: "x" }];
    const n = normalizeDraft(d);
    expect(n.sections.every((s) => s.id === undefined && s.examples.length === 0)).toBe(true);
    expect(promptDraftSchema.parse(n)).toEqual(n);
  });
});
