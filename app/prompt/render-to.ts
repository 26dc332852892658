/** A draft rendered to one target with the given values, as the API and the compare view show it. Pure. */
import type { PromptDraft } from "./draft";
import { renderDraft } from "./render";
import { renderTarget, type Target } from "./targets";

/** The text has whatever rendered; `issues` holds the errors only. */
export async function renderDraftTo(
  draft: PromptDraft,
  target: Target,
  values: Record<string, unknown>,
  partials: Record<string, string>,
) {
  const chat = target === "openai" || target === "anthropic";
  const result = await renderDraft(draft, { values, partials, conversation: chat });
  const out = renderTarget(target, result, draft);
  return {
    ok: result.ok,
    text: out.text,
    json: out.json,
    warnings: out.warnings ?? [],
    issues: result.issues.filter((i) => i.severity === "error"),
    input: result.input,
  };
}
