/**
 * Three-way merge of prompt drafts for the conflict view: the version both edits started from
 * (base), the user's draft (mine) and what was saved in between (theirs). Sections merge by
 * identity, variables by name, model settings by field: a change on one side only is taken; the
 * same change on both sides is taken once; different changes to the same thing are conflicts the
 * user decides (mine or theirs). Pure.
 */
import { dequal } from "dequal";
import type { ModelSettings, PromptDraft, Section, Variable } from "./draft";
import { matchSections } from "./diff";

export type Choice = "mine" | "theirs";

export type MergeItem<T> = {
  key: string;
  /** "same": unchanged or changed identically; "mine"/"theirs": only that side changed it. */
  status: "same" | "mine" | "theirs" | "conflict";
  base: T | null;
  mine: T | null;
  theirs: T | null;
};

export type MergePlan = {
  sections: Array<MergeItem<Section>>;
  variables: Array<MergeItem<Variable>>;
  settings: Array<MergeItem<unknown>>;
  /** Section keys in the merged order (before conflicts are decided). */
  order: string[];
  conflicts: number;
};

// Deep equality whatever the key order (JSON text would differ for {a, b} and {b, a}).
const same = (x: unknown, y: unknown) => dequal(x ?? null, y ?? null);

function merge3<T>(
  keys: string[],
  base: Map<string, T>,
  mine: Map<string, T>,
  theirs: Map<string, T>,
  eq: (a: T | undefined, b: T | undefined) => boolean,
): Array<MergeItem<T>> {
  return keys.map((key) => {
    const b = base.get(key);
    const m = mine.get(key);
    const t = theirs.get(key);
    const status: MergeItem<T>["status"] = eq(m, t) ? "same" : eq(b, m) ? "theirs" : eq(b, t) ? "mine" : "conflict";
    return { key, status, base: b ?? null, mine: m ?? null, theirs: t ?? null };
  });
}

const comparable = (s: Section | undefined) =>
  s ? { kind: s.kind, title: s.title, template: s.template, enabled: s.enabled, examples: s.examples } : null;
const sectionEq = (a: Section | undefined, b: Section | undefined) => same(comparable(a), comparable(b));
// Every field, with no default as null: a version read from the database has `default: undefined`, a parsed draft no key.
const variableFields = (v: Variable | undefined) =>
  v
    ? {
        name: v.name,
        type: v.type,
        required: v.required,
        default: v.default ?? null,
        enumValues: v.enumValues,
        description: v.description,
      }
    : null;

/** Keys each side's sections by the base section they continue ("b<i>"), or as their own ("m<j>", "t<j>"). */
function keyed(base: readonly Section[], side: readonly Section[], prefix: string): Array<[string, Section]> {
  const toBase = new Map(matchSections(base, side).map(([i, j]) => [j, i]));
  return side.map((s, j) => {
    const i = toBase.get(j);
    return [i === undefined ? `${prefix}${s.id ?? j}` : `b${i}`, s];
  });
}

export function planMerge(base: PromptDraft, mine: PromptDraft, theirs: PromptDraft): MergePlan {
  const b = new Map(base.sections.map((s, i) => [`b${i}`, s]));
  const mList = keyed(base.sections, mine.sections, "m:");
  const tList = keyed(base.sections, theirs.sections, "t:");
  const m = new Map(mList);
  const t = new Map(tList);
  const keys = [...new Set([...b.keys(), ...m.keys(), ...t.keys()])];
  const sections = merge3(keys, b, m, t, sectionEq);

  // Order: the side that reordered the shared sections leads (theirs when both did); the other
  // side's new sections follow the section they followed in that side.
  const baseOrder = [...b.keys()];
  const sharedOrder = (list: Array<[string, Section]>) => list.map(([k]) => k).filter((k) => b.has(k));
  const reordered = (list: Array<[string, Section]>) =>
    !same(
      sharedOrder(list),
      baseOrder.filter((k) => list.some(([x]) => x === k)),
    );
  const [lead, other] = reordered(mList) && !reordered(tList) ? [mList, tList] : [tList, mList];
  const order = lead.map(([k]) => k);
  other.forEach(([k], j) => {
    if (order.includes(k)) return;
    let at = 0;
    for (let p = j - 1; p >= 0; p--) {
      const idx = order.indexOf(other[p]![0]);
      if (idx >= 0) {
        at = idx + 1;
        break;
      }
    }
    order.splice(at, 0, k);
  });
  // Sections removed on the lead side but kept (or changed) on the other are placed by base order.
  for (const k of keys) {
    if (order.includes(k)) continue;
    const bi = baseOrder.indexOf(k);
    let at = order.length;
    for (let q = 0; q < order.length; q++) {
      const oi = baseOrder.indexOf(order[q]!);
      if (oi > bi) {
        at = q;
        break;
      }
    }
    order.splice(at, 0, k);
  }

  const vb = new Map(base.variables.map((v) => [v.name, v]));
  const vm = new Map(mine.variables.map((v) => [v.name, v]));
  const vt = new Map(theirs.variables.map((v) => [v.name, v]));
  const vkeys = [...new Set([...vt.keys(), ...vm.keys(), ...vb.keys()])];
  const variables = merge3(vkeys, vb, vm, vt, (x, y) => same(variableFields(x), variableFields(y)));

  const fields = [
    ...new Set([
      ...Object.keys(base.modelSettings),
      ...Object.keys(mine.modelSettings),
      ...Object.keys(theirs.modelSettings),
    ]),
  ];
  const asMap = (s: ModelSettings) =>
    new Map(Object.entries(s).filter(([, v]) => v !== undefined) as Array<[string, unknown]>);
  const settings = merge3(
    fields,
    asMap(base.modelSettings),
    asMap(mine.modelSettings),
    asMap(theirs.modelSettings),
    same,
  );

  const conflicts = [...sections, ...variables, ...settings].filter((i) => i.status === "conflict").length;
  return { sections, variables, settings, order, conflicts };
}

/** The merged draft, with each conflict decided by `choices[key]` ("mine" when absent). */
export function applyMerge(plan: MergePlan, choices: Readonly<Record<string, Choice>> = {}): PromptDraft {
  const pick = <T>(item: MergeItem<T>, prefix: string): T | null => {
    if (item.status === "same" || item.status === "mine") return item.mine;
    if (item.status === "theirs") return item.theirs;
    return (choices[`${prefix}${item.key}`] ?? "mine") === "theirs" ? item.theirs : item.mine;
  };
  const byKey = new Map(plan.sections.map((s) => [s.key, s]));
  const sections = plan.order.map((k) => pick(byKey.get(k)!, "section:")).filter((s): s is Section => s !== null);
  const variables = plan.variables.map((v) => pick(v, "variable:")).filter((v): v is Variable => v !== null);
  const settings: Record<string, unknown> = {};
  for (const s of plan.settings) {
    const v = pick(s, "setting:");
    if (v !== null) settings[s.key] = v;
  }
  return { sections, variables, modelSettings: { model: "gpt-4o", stop: [], ...settings } as ModelSettings };
}
