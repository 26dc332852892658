/** Which snippets a draft includes. Pure. */
import type { PromptDraft } from "./draft";
import { analyzeTemplate } from "./template-ast";

/** Snippet names a draft includes with {{> name}} (snippets including others are resolved elsewhere). */
export function partialNames(draft: Pick<PromptDraft, "sections">): string[] {
  const names = new Set<string>();
  for (const s of draft.sections) for (const p of analyzeTemplate(s.template).partials) names.add(p.name);
  return [...names].sort();
}
