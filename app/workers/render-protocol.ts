/**
 * Messages between the builder page and its render worker (app/workers/render.worker.ts). The
 * page sends the draft whenever it or the preview values change; the worker answers with what the
 * builder shows: rendered sections, issues, variables to declare and the token budget. Everything
 * here is structured-cloneable (plain objects, arrays, strings, numbers).
 */
import type { ChatMessage } from "~/prompt/conversation";
import type { PromptDraft, Variable } from "~/prompt/draft";
import type { PromptIssue } from "~/prompt/issues";
import type { RenderedSection } from "~/prompt/render";
import type { TokenBudget } from "~/prompt/tokens";

/** Page → worker: render this draft. `id` increases with every request. */
export type PreviewRequest = {
  type: "preview";
  id: number;
  draft: Pick<PromptDraft, "sections" | "variables" | "modelSettings">;
  /** Preview values by variable name, already parsed to their declared types. */
  values: Record<string, unknown>;
  /** Snippet templates by name, for {{> name}}. */
  partials: Record<string, string>;
  /** Render the chat targets' conversation too (a chat target is shown). */
  chat?: boolean;
};

/** What the builder shows for one request. */
export type PreviewResult = {
  id: number;
  /** True when every enabled section rendered and no value has an error. */
  ok: boolean;
  sections: RenderedSection[];
  /** The conversation the chat targets send; null unless everything rendered. */
  conversation: ChatMessage[] | null;
  issues: PromptIssue[];
  /** Used, not declared. */
  undeclared: string[];
  /** Declarations for the undeclared names, typed by how the templates use them. */
  declarations: Variable[];
  /** Null while the model's tokenizer is loading. */
  budget: TokenBudget | null;
};

/** Worker → page. */
export type WorkerMessage =
  /** Sent once the worker has started; `canEval` is false if the browser applied the page's CSP to it. */
  | { type: "ready"; canEval: boolean }
  /**
   * A result. `refresh` marks an unrequested update of the latest request (the tokenizer finished
   * loading), which does not answer a request in flight.
   */
  | { type: "result"; result: PreviewResult; refresh?: boolean }
  | { type: "failed"; id: number; message: string };
