/**
 * Differences between two versions of a prompt: section by section (added, removed, moved,
 * changed — word-level inside the text), the variable schema and the model settings. Sections are
 * matched by their id (stable across versions), then by kind and title. Pure: shared by the
 * compare page, the conflict view and the tests; uses the `diff` package (jsdiff).
 */
import { dequal } from "dequal";
import { diffLines, diffWordsWithSpace } from "diff";
import type { ModelSettings, PromptDraft, Section, Variable } from "./draft";

export type TextOp = { op: "eq" | "add" | "del"; text: string };

/** Past this many edits a changed block of lines is shown as replaced rather than word by word. */
const WORD_EDIT_LIMIT = 2_000;
/** Blocks longer than this (characters) are compared by line only. */
const WORD_BLOCK_LIMIT = 40_000;
/** Past this many line edits the texts are shown as one replaced block. */
const LINE_EDIT_LIMIT = 20_000;

function push(ops: TextOp[], op: TextOp["op"], text: string) {
  if (!text) return;
  const last = ops[ops.length - 1];
  if (last && last.op === op) last.text += text;
  else ops.push({ op, text });
}

/** Line diff, refined to words inside each changed block of lines. */
export function diffText(before: string, after: string): TextOp[] {
  if (before === after) return before ? [{ op: "eq", text: before }] : [];
  if (!before) return [{ op: "add", text: after }];
  if (!after) return [{ op: "del", text: before }];
  const lines = diffLines(before, after, { maxEditLength: LINE_EDIT_LIMIT });
  const ops: TextOp[] = [];
  if (!lines) {
    push(ops, "del", before);
    push(ops, "add", after);
    return ops;
  }
  let removed = "";
  let added = "";
  const flush = () => {
    if (removed && added && removed.length + added.length <= WORD_BLOCK_LIMIT) {
      const words = diffWordsWithSpace(removed, added, { maxEditLength: WORD_EDIT_LIMIT });
      if (words) {
        for (const w of words) push(ops, w.added ? "add" : w.removed ? "del" : "eq", w.value);
        removed = added = "";
        return;
      }
    }
    push(ops, "del", removed);
    push(ops, "add", added);
    removed = added = "";
  };
  for (const part of lines) {
    if (part.removed) removed += part.value;
    else if (part.added) added += part.value;
    else {
      flush();
      push(ops, "eq", part.value);
    }
  }
  flush();
  return ops;
}

/** True when the ops contain a change. */
export function hasChanges(ops: readonly TextOp[]): boolean {
  return ops.some((o) => o.op !== "eq");
}

/** Counts of added and removed words, for summaries. */
export function changeStats(ops: readonly TextOp[]): { added: number; removed: number } {
  const count = (t: string) => (t.match(/\S+/g) ?? []).length;
  let added = 0;
  let removed = 0;
  for (const o of ops) {
    if (o.op === "add") added += count(o.text);
    else if (o.op === "del") removed += count(o.text);
  }
  return { added, removed };
}

/** A section's text for comparison: its template, then its few-shot examples. */
export function sectionBody(s: Pick<Section, "template" | "examples">): string {
  const examples = (s.examples ?? []).map((e, i) => `Example ${i + 1}\nInput: ${e.input}\nOutput: ${e.output}`);
  return [s.template, ...examples].filter((x) => x !== "").join("\n\n");
}

export type SectionSide = { index: number; id?: string; kind: Section["kind"]; title: string; enabled: boolean };

export type SectionDiff = {
  status: "unchanged" | "changed" | "added" | "removed";
  /** True when the section kept its identity but its place relative to the others changed. */
  moved: boolean;
  before: SectionSide | null;
  after: SectionSide | null;
  /** Which of kind, title, enabled, text changed. */
  fields: Array<"kind" | "title" | "enabled" | "text">;
  /** Word-level diff of the text (template and examples); all "eq" when unchanged. */
  text: TextOp[];
};

export type FieldChange = { field: string; before: unknown; after: unknown };

export type VariableDiff = {
  name: string;
  status: "added" | "removed" | "changed";
  changes: FieldChange[];
};

export type DraftDiff = {
  sections: SectionDiff[];
  variables: VariableDiff[];
  settings: FieldChange[];
  summary: { added: number; removed: number; changed: number; moved: number; variables: number; settings: number };
  identical: boolean;
};

const side = (s: Section, index: number): SectionSide => ({
  index,
  id: s.id,
  kind: s.kind,
  title: s.title,
  enabled: s.enabled,
});

/** Pairs of [beforeIndex, afterIndex]: by id first, then by kind and title, in order. */
export function matchSections(before: readonly Section[], after: readonly Section[]): Array<[number, number]> {
  const pairs: Array<[number, number]> = [];
  const usedB = new Set<number>();
  const usedA = new Set<number>();
  const byId = new Map<string, number>();
  before.forEach((s, i) => {
    if (s.id && !byId.has(s.id)) byId.set(s.id, i);
  });
  after.forEach((s, j) => {
    const i = s.id ? byId.get(s.id) : undefined;
    if (i !== undefined && !usedB.has(i)) {
      pairs.push([i, j]);
      usedB.add(i);
      usedA.add(j);
    }
  });
  after.forEach((s, j) => {
    if (usedA.has(j)) return;
    const i = before.findIndex(
      (b, bi) => !usedB.has(bi) && b.kind === s.kind && b.title.trim().toLowerCase() === s.title.trim().toLowerCase(),
    );
    if (i >= 0) {
      pairs.push([i, j]);
      usedB.add(i);
      usedA.add(j);
    }
  });
  return pairs.sort((x, y) => x[1] - y[1]);
}

/** Indexes (into `seq`) of one longest strictly increasing subsequence. */
function longestIncreasing(seq: readonly number[]): Set<number> {
  const tails: number[] = [];
  const prev: number[] = new Array(seq.length).fill(-1);
  for (let i = 0; i < seq.length; i++) {
    let lo = 0;
    let hi = tails.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (seq[tails[mid]!]! < seq[i]!) lo = mid + 1;
      else hi = mid;
    }
    if (lo > 0) prev[i] = tails[lo - 1]!;
    tails[lo] = i;
  }
  const keep = new Set<number>();
  for (let k = tails.length ? tails[tails.length - 1]! : -1; k >= 0; k = prev[k]!) keep.add(k);
  return keep;
}

export function diffSections(before: readonly Section[], after: readonly Section[]): SectionDiff[] {
  const pairs = matchSections(before, after);
  const inOrder = longestIncreasing(pairs.map(([i]) => i));
  const matchedB = new Map(pairs.map(([i, j], k) => [j, { i, moved: !inOrder.has(k) }]));
  const out: SectionDiff[] = [];
  after.forEach((a, j) => {
    const m = matchedB.get(j);
    if (!m) {
      out.push({
        status: "added",
        moved: false,
        before: null,
        after: side(a, j),
        fields: [],
        text: diffText("", sectionBody(a)),
      });
      return;
    }
    const b = before[m.i]!;
    const text = diffText(sectionBody(b), sectionBody(a));
    const fields: SectionDiff["fields"] = [];
    if (b.kind !== a.kind) fields.push("kind");
    if (b.title !== a.title) fields.push("title");
    if (b.enabled !== a.enabled) fields.push("enabled");
    if (hasChanges(text)) fields.push("text");
    out.push({
      status: fields.length ? "changed" : "unchanged",
      moved: m.moved,
      before: side(b, m.i),
      after: side(a, j),
      fields,
      text,
    });
  });
  // Removed sections go after the last shown section that came before them.
  const matchedBefore = new Set(pairs.map(([i]) => i));
  before.forEach((b, i) => {
    if (matchedBefore.has(i)) return;
    let at = 0;
    out.forEach((d, k) => {
      if (d.before && d.before.index < i) at = k + 1;
    });
    out.splice(at, 0, {
      status: "removed",
      moved: false,
      before: side(b, i),
      after: null,
      fields: [],
      text: diffText(sectionBody(b), ""),
    });
  });
  return out;
}

const VARIABLE_FIELDS = ["type", "required", "default", "enumValues", "description"] as const;
// Deep equality whatever the key order (JSON text would differ for {a, b} and {b, a}).
const same = (x: unknown, y: unknown) => dequal(x ?? null, y ?? null);

export function diffVariables(before: readonly Variable[], after: readonly Variable[]): VariableDiff[] {
  const out: VariableDiff[] = [];
  const b = new Map(before.map((v) => [v.name, v]));
  const a = new Map(after.map((v) => [v.name, v]));
  for (const v of after) {
    const old = b.get(v.name);
    if (!old) {
      out.push({
        name: v.name,
        status: "added",
        changes: VARIABLE_FIELDS.map((field) => ({ field, before: undefined, after: v[field] })),
      });
      continue;
    }
    const changes = VARIABLE_FIELDS.filter((f) => !same(old[f], v[f])).map((field) => ({
      field,
      before: old[field],
      after: v[field],
    }));
    if (changes.length) out.push({ name: v.name, status: "changed", changes });
  }
  for (const v of before) {
    if (!a.has(v.name))
      out.push({
        name: v.name,
        status: "removed",
        changes: VARIABLE_FIELDS.map((field) => ({ field, before: v[field], after: undefined })),
      });
  }
  return out;
}

const SETTING_FIELDS = ["model", "temperature", "topP", "maxTokens", "stop"] as const;

export function diffSettings(before: Partial<ModelSettings>, after: Partial<ModelSettings>): FieldChange[] {
  return SETTING_FIELDS.filter((f) => !same(before[f], after[f])).map((field) => ({
    field,
    before: before[field],
    after: after[field],
  }));
}

export function diffDrafts(before: PromptDraft, after: PromptDraft): DraftDiff {
  const sections = diffSections(before.sections, after.sections);
  const variables = diffVariables(before.variables, after.variables);
  const settings = diffSettings(before.modelSettings, after.modelSettings);
  const summary = {
    added: sections.filter((s) => s.status === "added").length,
    removed: sections.filter((s) => s.status === "removed").length,
    changed: sections.filter((s) => s.status === "changed").length,
    moved: sections.filter((s) => s.moved).length,
    variables: variables.length,
    settings: settings.length,
  };
  const identical = Object.values(summary).every((n) => n === 0);
  return { sections, variables, settings, summary, identical };
}
