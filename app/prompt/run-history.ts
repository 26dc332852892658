/**
 * Run history rules, pure: what a recorded playground run holds, the filters of the runs page and
 * the output cap. The repository is app/models/runs.server.ts; the filters' zod schema is in
 * run-filters.ts (server only: building a zod schema in the browser trips the page's CSP).
 */
/** Output kept per run; past it the text is cut and the run marked truncated. */
export const MAX_STORED_OUTPUT_CHARS = 256 * 1024;
/** Values kept per run (JSON text); larger sets are replaced by a note. */
export const MAX_STORED_VALUES_CHARS = 64 * 1024;
export const RUNS_PAGE_SIZE = 25;

export const RUN_STATUSES = ["ok", "stopped", "failed"] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

/** The filters of the runs page, parsed (run-filters.ts). */
export type RunFilters = {
  version?: number | "draft";
  model?: string;
  status?: RunStatus;
  who?: string;
  page: number;
};

/** One run as the pages show it. */
export type RunView = {
  id: string;
  versionNumber: number | null;
  draftHash: string;
  providerName: string;
  model: string;
  status: RunStatus;
  finishReason: string | null;
  errorKind: string | null;
  errorMessage: string | null;
  inputTokens: number | null;
  outputTokens: number | null;
  costUsd: number | null;
  firstTokenMs: number | null;
  totalMs: number;
  userId: string | null;
  userName: string;
  createdAt: string;
};

/** Cuts `text` to the cap. */
export function capOutput(text: string): { output: string; truncated: boolean } {
  return text.length > MAX_STORED_OUTPUT_CHARS
    ? { output: text.slice(0, MAX_STORED_OUTPUT_CHARS), truncated: true }
    : { output: text, truncated: false };
}

/** The first day of the month (UTC) `now` is in: where monthly budgets start counting. */
export function monthStart(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
}

/** The text of a provider request body that counts as input: system and message text. */
export function requestText(body: Record<string, unknown>): string {
  const parts: string[] = [];
  const walk = (value: unknown) => {
    if (typeof value === "string") parts.push(value);
    else if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === "object") {
      for (const [k, v] of Object.entries(value)) if (k === "text" || k === "content" || k === "system") walk(v);
    }
  };
  walk(body.system);
  walk(body.messages);
  return parts.join("\n");
}

/**
 * The request body with its output limit capped at `cap` tokens (0 = no cap): `max_tokens`
 * (Anthropic) or `max_completion_tokens` (OpenAI), set when the prompt leaves it open.
 */
export function capOutputTokens(
  body: Record<string, unknown>,
  protocol: "openai" | "anthropic",
  cap: number,
): Record<string, unknown> {
  if (cap <= 0) return body;
  const field = protocol === "anthropic" ? "max_tokens" : "max_completion_tokens";
  const current = typeof body[field] === "number" ? (body[field] as number) : undefined;
  return current !== undefined && current <= cap ? body : { ...body, [field]: cap };
}
