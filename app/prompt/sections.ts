/**
 * Operations on the ordered section list, as pure functions returning new arrays, so the builder's
 * state changes are testable without a browser.
 */
import type { PromptDraft, Section, SectionKind } from "./draft";
import { DEFAULT_MODEL_ID } from "./models";

export const SECTION_TEMPLATES: Record<SectionKind, { title: string; template: string; hint: string }> = {
  system: { title: "Role", template: "You are a careful assistant.", hint: "Who the model is and how it behaves" },
  context: { title: "Context", template: "", hint: "Background the model needs: documents, data, the situation" },
  task: { title: "Task", template: "", hint: "What to do, as one clear instruction" },
  examples: { title: "Examples", template: "", hint: "Few-shot input → output pairs" },
  constraints: { title: "Constraints", template: "", hint: "Rules: length, tone, what to avoid" },
  output_format: { title: "Output format", template: "", hint: "The shape of the answer: JSON, a list, tags" },
  custom: { title: "Notes", template: "", hint: "Anything else, with your own heading" },
};

let counter = 0;
/** A short id, unique within a session; stable across renders so React keeps focus and state. */
export function newSectionId(): string {
  counter = (counter + 1) % 1_000_000;
  return `s${Date.now().toString(36)}${counter.toString(36)}${Math.random().toString(36).slice(2, 6)}`;
}

export function newSection(kind: SectionKind): Section {
  const t = SECTION_TEMPLATES[kind];
  return {
    id: newSectionId(),
    kind,
    title: t.title,
    template: t.template,
    enabled: true,
    examples: kind === "examples" ? [{ input: "", output: "" }] : [],
  };
}

/** Gives every section an id (sections loaded from the database or a starter may have none). */
export function withIds(sections: readonly Section[]): Section[] {
  const seen = new Set<string>();
  return sections.map((s) => {
    if (s.id && !seen.has(s.id)) {
      seen.add(s.id);
      return s;
    }
    const id = newSectionId();
    seen.add(id);
    return { ...s, id };
  });
}

export function emptyDraft(): PromptDraft {
  return {
    sections: [newSection("system"), newSection("task")],
    variables: [],
    modelSettings: { model: DEFAULT_MODEL_ID, stop: [] },
  };
}

export function moveSection<T>(list: readonly T[], from: number, to: number): T[] {
  if (from === to || from < 0 || from >= list.length) return [...list];
  const target = Math.max(0, Math.min(list.length - 1, to));
  const next = [...list];
  const [item] = next.splice(from, 1);
  next.splice(target, 0, item as T);
  return next;
}

export function insertSection(list: readonly Section[], section: Section, at = list.length): Section[] {
  const next = [...list];
  next.splice(Math.max(0, Math.min(list.length, at)), 0, section);
  return next;
}

export function duplicateSection(list: readonly Section[], index: number): Section[] {
  const s = list[index];
  if (!s) return [...list];
  const copy: Section = {
    ...s,
    id: newSectionId(),
    title: s.title ? `${s.title} (copy)` : s.title,
    examples: s.examples.map((e) => ({ ...e })),
  };
  return insertSection(list, copy, index + 1);
}

export function removeSection(list: readonly Section[], index: number): Section[] {
  return list.filter((_, i) => i !== index);
}

export function updateSection(list: readonly Section[], index: number, patch: Partial<Section>): Section[] {
  return list.map((s, i) => (i === index ? { ...s, ...patch } : s));
}

/** Draft without ids, as the database and the API store it; used to compare and save. */
/** Compares drafts by content: section ids dropped, examples only on examples sections. */
export function normalizeDraft(draft: PromptDraft): PromptDraft {
  return {
    ...draft,
    sections: draft.sections.map(({ id: _id, ...s }) => ({ ...s, examples: s.kind === "examples" ? s.examples : [] })),
  };
}

/**
 * What the builder saves: like normalizeDraft but keeping each section's id, which the store keeps
 * as the section's identity across versions (compare and merge tell a moved section from a removed
 * and an added one by it).
 */
export function draftForSave(draft: PromptDraft): PromptDraft {
  return {
    ...draft,
    sections: draft.sections.map((s) => ({ ...s, examples: s.kind === "examples" ? s.examples : [] })),
  };
}
