/**
 * Renaming a variable together with its uses (issue 9 §6): every place the templates read the
 * variable — `{{old}}`, `{{old.field}}`, `{{#each old}}`, `{{#if old}}`, `{{#old}}…{{/old}}`,
 * `{{@root.old}}`, helper and snippet arguments — in the section templates and the example rows,
 * found by the same syntax tree the checks use (so a loop item's field called `old` or a block
 * parameter is left alone). Snippets are not part of the draft: uses inside them are counted, not
 * changed. Pure.
 */
import type { PromptDraft } from "./draft";
import { analyzeTemplate, offsetOf, replaceAtOffsets } from "./template-ast";

type Draftish = Pick<PromptDraft, "sections" | "variables">;

/** Where the name starts inside a written path: after `@root.`, `this.` or `./`. */
function headOffset(original: string, name: string): number {
  const prefix = /^(?:@root[./]|this[./]|\.\/)?/.exec(original)![0];
  return original.slice(prefix.length).startsWith(name) ? prefix.length : -1;
}

/** The template with every use of `from` renamed to `to`, and how many were renamed. */
export function renameInTemplate(source: string, from: string, to: string): { text: string; count: number } {
  if (!source.includes(from)) return { text: source, count: 0 };
  // A template that does not parse has no usages: nothing is renamed in it.
  const analysis = analyzeTemplate(source);
  const at = new Set<number>();
  for (const u of analysis.usages) {
    if (u.name !== from) continue;
    const start = offsetOf(source, u.line, u.column);
    const head = headOffset(u.original, from);
    if (start < 0 || head < 0 || source.slice(start, start + u.original.length) !== u.original) continue;
    at.add(start + head);
    if (u.close) {
      const c = offsetOf(source, u.close.line, u.close.column);
      if (c >= 0 && source.slice(c, c + from.length) === from) at.add(c);
    }
  }
  return replaceAtOffsets(source, at, from.length, to);
}

export type RenameResult<T extends Draftish> = {
  draft: T;
  /** Uses renamed in the sections and example rows. */
  count: number;
  /** Snippets the draft includes that read `from` themselves: not changed by a rename. */
  snippets: string[];
};

/** Uses of `name` in the draft's templates and example rows. */
export function countUses(draft: Pick<PromptDraft, "sections">, name: string): number {
  let n = 0;
  for (const s of draft.sections) {
    n += renameInTemplate(s.template, name, name).count;
    for (const e of s.examples)
      n += renameInTemplate(e.input, name, name).count + renameInTemplate(e.output, name, name).count;
  }
  return n;
}

/**
 * The draft with variable `from` declared as `to` and every use in its sections and example rows
 * renamed (one change). `partials` lets it name the included snippets that read `from`.
 */
export function renameVariable<T extends Draftish>(
  draft: T,
  from: string,
  to: string,
  partials: Readonly<Record<string, string>> = {},
): RenameResult<T> {
  let count = 0;
  const snippets = new Set<string>();
  const rename = (source: string) => {
    const r = renameInTemplate(source, from, to);
    count += r.count;
    for (const p of analyzeTemplate(source).partials) {
      const inner = partials[p.name];
      if (inner !== undefined && analyzeTemplate(inner).usages.some((u) => u.name === from)) snippets.add(p.name);
    }
    return r.text;
  };
  const sections = draft.sections.map((s) => ({
    ...s,
    template: rename(s.template),
    examples: s.examples.map((e) => ({ ...e, input: rename(e.input), output: rename(e.output) })),
  }));
  const variables = draft.variables.map((v) => (v.name === from ? { ...v, name: to } : v));
  return { draft: { ...draft, sections, variables }, count, snippets: [...snippets].sort() };
}
