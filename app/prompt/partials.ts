/** Which snippets a draft includes, and renaming an included snippet. Pure. */
import type { PromptDraft } from "./draft";
import { analyzeTemplate, offsetOf, replaceAtOffsets } from "./template-ast";

/** Snippet names a draft includes with {{> name}} (snippets including others are resolved elsewhere). */
export function partialNames(draft: Pick<PromptDraft, "sections">): string[] {
  const names = new Set<string>();
  for (const s of draft.sections) for (const p of analyzeTemplate(s.template).partials) names.add(p.name);
  return [...names].sort();
}

/** Where the name starts in a partial's tag written at `start`: `{{> name`, `{{~> name`, `{{#> name`. */
const PARTIAL_OPEN = /^\{\{~?#?>\s*/;

/**
 * The template with every inclusion of snippet `from` (`{{> from …}}`, and both tags of a partial
 * block) written as `to`, and how many were renamed. Found by the same syntax tree the checks use,
 * so text that only looks like a name (a variable, a string) is left alone; a template that does
 * not parse is returned unchanged.
 */
export function renamePartial(source: string, from: string, to: string): { text: string; count: number } {
  if (from === to || !source.includes(from)) return { text: source, count: 0 };
  const at: number[] = [];
  for (const p of analyzeTemplate(source).partials) {
    if (p.name !== from) continue;
    const start = offsetOf(source, p.line, p.column);
    const open = PARTIAL_OPEN.exec(source.slice(start));
    if (start < 0 || !open || source.slice(start + open[0].length).slice(0, from.length) !== from) continue;
    at.push(start + open[0].length);
    if (p.close) {
      const c = offsetOf(source, p.close.line, p.close.column);
      if (c >= 0 && source.slice(c, c + from.length) === from) at.push(c);
    }
  }
  return replaceAtOffsets(source, at, from.length, to);
}

/** The draft with snippet `from` included as `to` in every section (see renamePartial). */
export function renamePartialInDraft<T extends Pick<PromptDraft, "sections">>(draft: T, from: string, to: string): T {
  return {
    ...draft,
    sections: draft.sections.map((s) => ({ ...s, template: renamePartial(s.template, from, to).text })),
  };
}
