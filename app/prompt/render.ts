/**
 * Strict rendering. Every section template goes through Google's reference `dotprompt` package;
 * before that, the draft is analysed and the values checked, so a missing required variable, a
 * value of the wrong type, an undeclared variable or a syntax error is an issue with a section
 * and a line — the section is not rendered with an empty string in its place.
 */
import { Dotprompt } from "dotprompt";
import type { ParsedPrompt, PromptFunction } from "dotprompt";
import Handlebars from "handlebars/dist/cjs/handlebars.js";
import { BoundedCache } from "./bounded-cache";
import {
  historyToDotprompt,
  normaliseMessages,
  partsToText,
  promptBody,
  type ChatMessage,
  type ChatPart,
  type DotpromptMessage,
  type HistoryEntry,
} from "./conversation";
import type { Example, PromptDraft, SectionKind, VariableValue } from "./draft";
import { hasErrors, type PromptIssue } from "./issues";
import {
  MAX_RENDERED_CHARS,
  outputTooLargeMessage,
  RenderBudget,
  RenderLimitError,
  renderInputIssues,
  templateDepthError,
} from "./template-limits";
import { analyzeDraft, resolveValues, type DraftAnalysis, type LocatedUsage, type Partials } from "./variables";
import { CACHE_CHARS, compiledTemplateSize } from "./cache-budgets";

export type RenderedSection = {
  index: number;
  id?: string;
  kind: SectionKind;
  title: string;
  enabled: boolean;
  /** Rendered template text (trimmed); null when disabled or when the section has errors. */
  text: string | null;
  /** Few-shot pairs of an examples section, rendered (rows are templates, like the section). */
  examples: Example[];
  /** The names of the `{{section "name"}}` places the text (and example rows) show as placeholders. */
  pending?: string[];
};

export type RenderResult = {
  /** True when every enabled section rendered and no value has an error. */
  ok: boolean;
  sections: RenderedSection[];
  issues: PromptIssue[];
  analysis: DraftAnalysis;
  input: Record<string, VariableValue>;
  /**
   * What the chat targets send: the whole prompt rendered as one dotprompt template (the one the
   * `.prompt` export writes) and normalised; null unless every section rendered.
   */
  conversation: ChatMessage[] | null;
};

/** One template to render with its input; the result is its text or what went wrong. */
export type TemplateJob = {
  template: string;
  input: Record<string, unknown>;
  /** dotprompt's history (`{{history}}`), from the prompt's `messages` variable. */
  history?: DotpromptMessage[];
  /** Also return dotprompt's messages (the whole-prompt job of the chat targets). */
  messages?: true;
};
export type TemplateOutcome =
  /** `pending`: the `{{section}}` names the text shows as placeholders. */
  | { text: string; messages?: DotpromptMessage[]; pending?: string[] }
  /** `limit`: a cap stopped the render; `skipped`: not rendered because an earlier job hit a cap. */
  | { error: { message: string; lineNumber?: number; column?: number; limit?: true; skipped?: true } };
/**
 * Renders templates with dotprompt. The default runs dotprompt here; the builder swaps in one that
 * asks the server when the page's Content-Security-Policy forbids the `eval` Handlebars needs.
 */
export type TemplateRenderer = (jobs: TemplateJob[], partials: Partials) => Promise<TemplateOutcome[]>;

export type RenderOptions = {
  /** Preview values by variable name; a missing or empty value falls back to the default. */
  values?: Readonly<Record<string, unknown>>;
  /** Snippet templates by name, for {{> name}}. */
  partials?: Partials;
  renderer?: TemplateRenderer;
  /**
   * Also render the conversation the chat targets send (the whole prompt as one template):
   * default true; the builder asks for it only while a chat target is shown, since it compiles
   * the whole prompt again after every change.
   */
  conversation?: boolean;
};

// dotprompt shares one Handlebars environment (and its partial registry) between instances.
const dotprompt = new Dotprompt();
const registered = new Map<string, string>();

/** Where a render's budget travels in Handlebars' `@data` (a string key: frames copy only those). */
const BUDGET_KEY = "promptBuilderRenderBudget";
const builtinEach = Handlebars.helpers.each as Handlebars.HelperDelegate;
// {{#each}} (and {{#list}} sections, which Handlebars sends to `each`) report every iteration to
// the render's budget: Handlebars builds output as one string, so a cap must stop it from inside.
dotprompt.defineHelper(
  "each",
  function (this: unknown, ...args: [context: unknown, options?: Handlebars.HelperOptions]) {
    const [context, options] = args;
    const budget = (options?.data as Record<string, unknown> | undefined)?.[BUDGET_KEY];
    if (!options || !(budget instanceof RenderBudget)) {
      // All the arguments as they came: `each` tells "no iterator" by their count.
      return builtinEach.apply(this, args);
    }
    const fn = options.fn;
    return builtinEach.call(this, context, {
      ...options,
      fn: (item: unknown, opts?: Handlebars.RuntimeOptions) => budget.iteration(() => fn(item, opts)),
    });
  },
);

function syncPartials(partials: Partials): void {
  for (const [name, source] of Object.entries(partials)) {
    // A too-deep snippet is never registered; analysis reports it where it is included.
    if (registered.get(name) !== source && !templateDepthError(source)) {
      dotprompt.definePartial(name, source);
      registered.set(name, source);
    }
  }
  for (const name of [...registered.keys()]) {
    if (partials[name] !== registered.get(name)) {
      Handlebars.unregisterPartial(name);
      registered.delete(name);
    }
  }
}

// Compiled code is several times its source, and small templates weigh far more than their text.
const compiled = new BoundedCache<Promise<PromptFunction>>(1000, CACHE_CHARS.compiledTemplates);

function compile(template: string): Promise<PromptFunction> {
  let fn = compiled.get(template);
  if (!fn) {
    // A ParsedPrompt, not a source string: a section that starts with "---" is text, not YAML.
    fn = dotprompt.compile({ template } as ParsedPrompt);
    compiled.set(template, fn, compiledTemplateSize(template));
  }
  return fn;
}

/** Renders one template with dotprompt into its messages; loops count against `budget`. */
export async function renderMessages(
  template: string,
  input: Record<string, unknown>,
  budget?: RenderBudget,
  history?: DotpromptMessage[],
): Promise<DotpromptMessage[]> {
  const deep = templateDepthError(template);
  if (deep) throw Object.assign(new RenderLimitError(deep.message), { lineNumber: deep.line, column: deep.column - 1 });
  const fn = await compile(template);
  const out = await fn({
    input,
    ...(history ? { messages: history as never } : {}),
    context: budget ? { [BUDGET_KEY]: budget } : {},
  });
  return out.messages;
}

/**
 * Renders one template with dotprompt and flattens its messages to text (the text targets):
 * messages joined by a blank line, media as a visible `[image: url]`, history messages as
 * "role: text".
 */
export async function renderTemplate(
  template: string,
  input: Record<string, unknown>,
  budget?: RenderBudget,
  history?: DotpromptMessage[],
): Promise<string> {
  return flatten(await renderMessages(template, input, budget, history)).text;
}

/** dotprompt's pending part for a `{{section "name"}}`, as a chat part; null for any other part. */
function pendingPart(p: DotpromptMessage["content"][number]): ChatPart | null {
  return p.metadata?.pending === true && typeof p.metadata.purpose === "string"
    ? { metadata: { purpose: p.metadata.purpose, pending: true } }
    : null;
}

function flatten(messages: DotpromptMessage[]): { text: string; pending: string[] } {
  const pending: string[] = [];
  const text = messages
    .map((m) => {
      const text = partsToText(
        m.content.flatMap((p): ChatPart[] => {
          if (p.media) return [{ media: p.media }];
          if (typeof p.text === "string") return [{ text: p.text }];
          const place = pendingPart(p);
          if (place && "metadata" in place) pending.push(place.metadata.purpose);
          return place ? [place] : [];
        }),
      );
      return m.metadata?.purpose === "history" ? `${m.role === "model" ? "assistant" : m.role}: ${text}` : text.trim();
    })
    .filter((t) => t !== "")
    .join("\n\n");
  return { text, pending };
}

/**
 * dotprompt in this process: what the server's render pool and an eval-permitting browser use.
 * The jobs are one prompt's sections: they share one budget and render in order, and once one
 * goes over a cap the rest are skipped.
 */
export const localRenderer: TemplateRenderer = async (jobs, partials) => {
  syncPartials(partials);
  const budget = new RenderBudget();
  // The whole-prompt job renders the same text as the sections again: its own budget.
  const wholeBudget = new RenderBudget();
  const checked = new Map<object, PromptIssue[]>();
  const outcomes: TemplateOutcome[] = [];
  let stopped: string | null = null;
  for (const job of jobs) {
    if (stopped !== null) {
      outcomes.push({ error: { message: stopped, skipped: true } });
      continue;
    }
    let inputIssues = checked.get(job.input);
    if (!inputIssues) checked.set(job.input, (inputIssues = renderInputIssues(job.input)));
    if (inputIssues.length) {
      stopped = `the values are over a limit: ${inputIssues[0]!.message}`;
      outcomes.push({ error: { message: stopped, limit: true } });
      continue;
    }
    const deep = templateDepthError(job.template);
    if (deep) {
      outcomes.push({ error: { message: deep.message, lineNumber: deep.line, column: deep.column - 1, limit: true } });
      continue;
    }
    const b = job.messages ? wholeBudget : budget;
    const start = b.chars;
    try {
      const messages = await renderMessages(job.template, job.input, b, job.history);
      const flat = flatten(messages);
      const text = flat.text.trim();
      b.section(start, text);
      const pending = flat.pending.length ? { pending: flat.pending } : {};
      outcomes.push(job.messages ? { text, messages, ...pending } : { text, ...pending });
    } catch (err) {
      const e = err as { message?: string; lineNumber?: number; column?: number };
      const limit =
        err instanceof RenderLimitError || (err instanceof RangeError && /string length/i.test(String(e.message)));
      const message =
        err instanceof RangeError && limit ? "the rendered prompt is too large to build" : String(e?.message ?? err);
      outcomes.push({
        error: { message, lineNumber: e?.lineNumber, column: e?.column, ...(limit ? { limit: true as const } : {}) },
      });
      if (limit) stopped = message; // the output caps are about the whole prompt
    }
  }
  return outcomes;
};

/** True when this JavaScript environment may compile code at run time (a CSP can forbid it). */
export function canCompileTemplates(): boolean {
  try {
    return new Function("return 1")() === 1;
  } catch {
    return false;
  }
}

// Keys hold the template, the values and the snippets: bounded by their characters and the text's.
const outputCache = new BoundedCache<{ text: string; pending?: string[] }>(2000, CACHE_CHARS.renderedOutput);

/**
 * Analyses the draft, checks the values and renders every enabled section that has no error.
 * `ok` is false when anything would be missing or wrong in what the model receives.
 */
export async function renderDraft(
  draft: Pick<PromptDraft, "sections" | "variables">,
  options: RenderOptions = {},
): Promise<RenderResult> {
  const partials = options.partials ?? {};
  const renderer = options.renderer ?? localRenderer;
  const analysis = analyzeDraft(draft, partials);
  const resolved = resolveValues(analysis, options.values ?? {});
  const issues = [...analysis.issues, ...resolved.issues];

  // Values over a cap would make every section's work unbounded: render none. So would a template
  // that prints a large value thousands of times: loops are counted as they run, plain prints are
  // bounded here, before Handlebars builds a string of hundreds of megabytes.
  const limited = renderInputIssues(resolved.input);
  if (!limited.length) limited.push(...printedTooMuch(draft, analysis, resolved.input));
  issues.push(...limited);

  const blocked = new Set<number>();
  for (const i of issues) if (i.severity === "error" && i.sectionIndex !== undefined) blocked.add(i.sectionIndex);
  if (limited.length) draft.sections.forEach((_, index) => blocked.add(index));

  const history = historyOf(analysis, resolved.input);
  const valuesKey = JSON.stringify(resolved.input);
  const partialsKey = Object.keys(partials).length ? JSON.stringify(partials) : "";
  const texts: Array<string | null> = draft.sections.map(() => null);
  const pending: string[][] = draft.sections.map(() => []);
  const todo: number[] = [];
  draft.sections.forEach((s, index) => {
    if (!s.enabled || blocked.has(index)) return;
    const hit = outputCache.get(`${s.template}\u0000${valuesKey}\u0000${partialsKey}`);
    if (hit !== undefined) {
      texts[index] = hit.text;
      pending[index]!.push(...(hit.pending ?? []));
    } else todo.push(index);
  });
  if (todo.length) {
    const outcomes = await renderer(
      todo.map((i) => ({
        template: draft.sections[i]!.template,
        input: resolved.input,
        ...(history && usesHistory(analysis, i) ? { history } : {}),
      })),
      partials,
    );
    todo.forEach((index, n) => {
      const out = outcomes[n];
      if (out && "text" in out) {
        texts[index] = out.text;
        pending[index]!.push(...(out.pending ?? []));
        const key = `${draft.sections[index]!.template}\u0000${valuesKey}\u0000${partialsKey}`;
        outputCache.set(key, { text: out.text, pending: out.pending }, key.length + out.text.length);
        return;
      }
      const e = out?.error ?? { message: "no result" };
      if (e.skipped) return; // an earlier section hit a cap; its issue says so
      // Runtime errors rarely carry a position; point at the helper they name, if any.
      const helper = /#(\w+)/.exec(e.message)?.[1];
      const at = helper ? analysis.sections[index]?.template.helpers.find((h) => h.name === helper) : undefined;
      issues.push({
        severity: "error",
        code: e.limit ? "limit" : "render",
        message: e.limit ? e.message : `could not render: ${e.message.replace(/ - \d+:\d+$/, "")}`,
        path: ["sections", index, "template"],
        sectionIndex: index,
        line: e.lineNumber ?? at?.line,
        column: e.column !== undefined ? e.column + 1 : at?.column,
      });
    });
  }
  // Example rows are templates too (issue 9 §4): rows with tags are rendered for the text targets
  // (the chat targets get them through the conversation).
  const examples: Example[][] = draft.sections.map((s) => s.examples);
  const rows: Array<{ index: number; j: number; side: "input" | "output" }> = [];
  draft.sections.forEach((s, index) => {
    if (s.kind !== "examples" || !s.enabled || blocked.has(index) || texts[index] === null) return;
    examples[index] = s.examples.map((e) => ({ ...e }));
    s.examples.forEach((e, j) => {
      for (const side of ["input", "output"] as const) if (e[side].includes("{{")) rows.push({ index, j, side });
    });
  });
  if (rows.length) {
    const outcomes = await renderer(
      rows.map((r) => ({ template: draft.sections[r.index]!.examples[r.j]![r.side], input: resolved.input })),
      partials,
    );
    rows.forEach((r, n) => {
      const out = outcomes[n];
      if (out && "text" in out) {
        examples[r.index]![r.j]![r.side] = out.text;
        pending[r.index]!.push(...(out.pending ?? []));
        return;
      }
      texts[r.index] = null;
      issues.push({
        severity: "error",
        code: out?.error.limit ? "limit" : "render",
        message: `example ${r.j + 1} ${r.side}: could not render: ${(out?.error.message ?? "no result").replace(/ - \d+:\d+$/, "")}`,
        path: ["sections", r.index, "examples", r.j, r.side],
        sectionIndex: r.index,
      });
    });
  }
  // Sections from the output cache were not counted by the renderer's budget: count the whole.
  const total = texts.reduce((n, t) => n + (t?.length ?? 0), 0);
  if (total > MAX_RENDERED_CHARS && !issues.some((i) => i.code === "limit")) {
    issues.push({ severity: "error", code: "limit", message: outputTooLargeMessage(total), path: ["sections"] });
  }
  const sections: RenderedSection[] = draft.sections.map((s, index) => ({
    index,
    id: s.id,
    kind: s.kind,
    title: s.title,
    enabled: s.enabled,
    examples: examples[index]!,
    text: texts[index] ?? null,
    ...(pending[index]!.length ? { pending: pending[index] } : {}),
  }));

  let ok = !hasErrors(issues) && sections.every((s) => !s.enabled || s.text !== null);
  let conversation: ChatMessage[] | null = null;
  if (ok && options.conversation !== false) {
    conversation = await renderConversation(draft, analysis, resolved.input, partials, partialsKey, renderer);
    if (!conversation) {
      ok = false;
      issues.push({
        severity: "error",
        code: "render",
        message: "the sections render one by one but not together as one conversation",
        path: ["sections"],
      });
    }
  }
  return { ok, sections, issues: sortIssues(issues), analysis, input: resolved.input, conversation };
}

/** The value of the prompt's `messages` variable as dotprompt's history, if it has one. */
function historyOf(analysis: DraftAnalysis, input: Record<string, unknown>): DotpromptMessage[] | undefined {
  for (const [name, { variable }] of analysis.declared) {
    if (variable.type === "messages" && Array.isArray(input[name]))
      return historyToDotprompt(input[name] as HistoryEntry[]);
  }
  return undefined;
}

function usesHistory(analysis: DraftAnalysis, index: number): boolean {
  return analysis.sections[index]?.template.helpers.some((h) => h.name === "history") ?? false;
}

const conversationCache = new BoundedCache<ChatMessage[]>(500, CACHE_CHARS.conversations);

/** The whole prompt as one template (what the `.prompt` export writes), rendered into chat messages. */
async function renderConversation(
  draft: Pick<PromptDraft, "sections">,
  analysis: DraftAnalysis,
  input: Record<string, unknown>,
  partials: Partials,
  partialsKey: string,
  renderer: TemplateRenderer,
): Promise<ChatMessage[] | null> {
  const template = promptBody(draft);
  const history = historyOf(analysis, input);
  const key = `${template}\u0000${JSON.stringify(input)}\u0000${partialsKey}`;
  const hit = conversationCache.get(key);
  if (hit) return hit;
  const [out] = await renderer([{ template, input, messages: true, ...(history ? { history } : {}) }], partials);
  if (!out || !("text" in out) || !out.messages) return null;
  const messages = normaliseMessages(out.messages);
  conversationCache.set(key, messages, key.length + JSON.stringify(messages).length);
  return messages;
}

/** Characters `{{name…}}` can print for a value (a list prints joined by commas). */
function printedChars(value: unknown, subPath: readonly string[]): number {
  if (typeof value === "string") return subPath.length ? 10 : value.length;
  if (Array.isArray(value)) {
    if (subPath.length) return subPath[0] === "length" ? 10 : Math.max(0, ...value.map((x) => String(x).length));
    return value.reduce((n: number, x) => n + String(x).length + 1, 0);
  }
  return value === undefined ? 0 : 24;
}

/**
 * An issue when the enabled templates, with every value printed where it is written, exceed the
 * output cap: an upper bound (both branches of an {{#if}} count), reached only by printing large
 * values many times.
 */
function printedTooMuch(
  draft: Pick<PromptDraft, "sections">,
  analysis: DraftAnalysis,
  input: Record<string, unknown>,
): PromptIssue[] {
  let total = 0;
  let prints = 0;
  let worst: { chars: number; at?: LocatedUsage } = { chars: 0 };
  draft.sections.forEach((s) => s.enabled && (total += s.template.length));
  for (const usages of analysis.used.values()) {
    for (const u of usages) {
      if (!u.enabled || (u.kind !== "print" && u.kind !== "argument")) continue;
      const chars = printedChars(input[u.name], u.subPath);
      total += chars;
      prints++;
      if (chars > worst.chars) worst = { chars, at: u };
    }
  }
  if (total <= MAX_RENDERED_CHARS || !worst.at) return [];
  const u = worst.at;
  return [
    {
      severity: "error",
      code: "limit",
      message: `the templates print their values ${prints.toLocaleString("en")} times: ${(total / 1e6).toFixed(1)} MB in all, over the ${MAX_RENDERED_CHARS / 1e6} MB limit for a rendered prompt`,
      path: ["sections", u.sectionIndex, "template"],
      sectionIndex: u.sectionIndex,
      line: u.line,
      column: u.column,
      variable: u.name,
    },
  ];
}

function sortIssues(all: PromptIssue[]): PromptIssue[] {
  const seen = new Set<string>();
  const issues = all.filter((i) => {
    const key = `${i.severity}|${i.code}|${i.path.join(".")}|${i.line ?? ""}|${i.partial ?? ""}|${i.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return issues
    .map((issue, i) => ({ issue, i }))
    .sort((a, b) => {
      const sev = (a.issue.severity === "error" ? 0 : 1) - (b.issue.severity === "error" ? 0 : 1);
      if (sev) return sev;
      const sa = a.issue.sectionIndex ?? -1;
      const sb = b.issue.sectionIndex ?? -1;
      if (sa !== sb) return sa - sb;
      const la = a.issue.line ?? 0;
      const lb = b.issue.line ?? 0;
      return la - lb || a.i - b.i;
    })
    .map((x) => x.issue);
}
