/**
 * What the render pool's workers do with user templates, as plain functions of the shared domain:
 * render a draft to a target, render the builder's fallback jobs, check a draft's templates before
 * a save. Runs in a worker thread (./worker.ts) and, where no worker file exists (unit tests, dev
 * without a build), in-process. Inputs and results are structured-cloneable.
 */
import type { PromptDraft, VariableValue } from "~/prompt/draft";
import type { PromptIssue } from "~/prompt/issues";
import { localRenderer, type TemplateJob, type TemplateOutcome } from "~/prompt/render";
import { renderDraftTo } from "~/prompt/render-to";
import { analyzeTemplate } from "~/prompt/template-ast";
import type { Target } from "~/prompt/targets";

export type RenderTask =
  | {
      kind: "draft";
      draft: PromptDraft;
      target: Target;
      values: Record<string, unknown>;
      partials: Record<string, string>;
    }
  | { kind: "templates"; jobs: TemplateJob[]; partials: Record<string, string> }
  | { kind: "check"; templates: string[] };

/** A draft rendered to one target: the text has whatever rendered; `issues` are the errors. */
export type RenderedDraft = {
  ok: boolean;
  text: string;
  json?: unknown;
  /** About the target itself (a stand-in model for another vendor's body). */
  warnings: string[];
  issues: PromptIssue[];
  input: Record<string, VariableValue>;
};

/** The save-time check: snippet names the templates include, and problems that refuse the save. */
export type TemplateCheck = { includes: string[]; problems: PromptIssue[] };

export type TaskResult<T extends RenderTask> = T extends { kind: "draft" }
  ? RenderedDraft
  : T extends { kind: "templates" }
    ? TemplateOutcome[]
    : TemplateCheck;

export async function runRenderTask(task: RenderTask): Promise<RenderedDraft | TemplateOutcome[] | TemplateCheck> {
  switch (task.kind) {
    case "draft":
      return renderDraftTo(task.draft, task.target, task.values, task.partials);
    case "templates":
      return localRenderer(task.jobs, task.partials);
    case "check":
      return checkTemplates(task.templates);
  }
}

/**
 * Parses every template once (what a save needs for "used by"). Limit problems and refused
 * constructs refuse a save: a draft with a syntax error may be saved, as before.
 */
function checkTemplates(templates: string[]): TemplateCheck {
  const includes = new Set<string>();
  const problems: PromptIssue[] = [];
  templates.forEach((template, index) => {
    const analysis = analyzeTemplate(template);
    for (const p of analysis.partials) includes.add(p.name);
    for (const e of analysis.errors) {
      // Over a limit, or a construct the app cannot render faithfully (front matter, @state,
      // a {{section}} name with a space…): refused at save, at its line, never dropped in silence.
      if (e.code !== "limit" && e.code !== "refused") continue;
      problems.push({
        severity: "error",
        code: e.code,
        message: e.message,
        path: ["sections", index, "template"],
        sectionIndex: index,
        line: e.line,
        column: e.column,
      });
    }
  });
  return { includes: [...includes].sort(), problems };
}
