/**
 * Token budget: tokens per section and in total for the chosen model, against its context window
 * with room kept for the answer, and the input cost. Counting uses gpt-tokenizer's real BPE
 * encodings (o200k_base, cl100k_base), loaded on demand so they stay out of the page's first
 * download. Anthropic does not publish its tokenizer: those counts are estimates and say so.
 */
import type { ModelSettings } from "./draft";
import { costOf, modelOrFallback, type Encoding, type ModelInfo } from "./models";
import type { RenderedSection } from "./render";
import { BoundedCache } from "./bounded-cache";

export type Encoder = { readonly encoding: Encoding; countTokens(text: string): number };

const loaders: Record<Encoding, () => Promise<{ countTokens(text: string): number }>> = {
  o200k_base: () => import("gpt-tokenizer/encoding/o200k_base"),
  cl100k_base: () => import("gpt-tokenizer/encoding/cl100k_base"),
};

const loaded = new Map<Encoding, Promise<Encoder>>();

/** Loads an encoding once; later calls share the same promise. */
export function loadEncoder(encoding: Encoding): Promise<Encoder> {
  let p = loaded.get(encoding);
  if (!p) {
    p = loaders[encoding]().then((mod) => ({ encoding, countTokens: (text: string) => mod.countTokens(text) }));
    loaded.set(encoding, p);
  }
  return p;
}

/**
 * Memoises counts by text, so a keystroke recounts only the section that changed. Bounded by
 * entries and by the characters of the texts held as keys (sections may be 200 kB each: 5,000 of
 * them by count alone could hold a gigabyte).
 */
export class TokenCounter {
  private readonly cache: BoundedCache<number>;
  constructor(
    readonly encoder: Encoder,
    limit = 5000,
    maxChars = 4_000_000,
  ) {
    this.cache = new BoundedCache<number>(limit, maxChars);
  }

  count(text: string): number {
    if (text === "") return 0;
    const hit = this.cache.get(text);
    if (hit !== undefined) return hit;
    const n = this.encoder.countTokens(text);
    this.cache.set(text, n);
    return n;
  }
}

/** Framing tokens per chat message (role and separators) and for priming the reply, as OpenAI documents for its chat format. */
export const MESSAGE_OVERHEAD = 3;
export const REPLY_OVERHEAD = 3;

export type SectionTokens = { index: number; tokens: number };

export type TokenBudget = {
  model: ModelInfo;
  /** False when the model's tokenizer is not public and the figures are estimates. */
  exact: boolean;
  sections: SectionTokens[];
  /** Message framing added by the chat format. */
  overhead: number;
  inputTokens: number;
  /** max_tokens (or the model's default) kept for the answer. */
  reservedOutput: number;
  contextWindow: number;
  /** contextWindow − input − reserved; negative when the request does not fit. */
  remaining: number;
  fits: boolean;
  inputCost: number;
  /** Cost if the answer uses all of the reserved output. */
  maxOutputCost: number;
};

type Part = Pick<RenderedSection, "index" | "kind" | "enabled" | "text" | "examples">;

/**
 * Counts what the chat request carries: each section's rendered text (examples: each pair as two
 * messages), plus message framing. Per-section counts are exact for public tokenizers; the total
 * adds the separators between sections ("\n\n", one token each) and framing.
 */
export function tokenBudget(sections: readonly Part[], settings: ModelSettings, counter: TokenCounter): TokenBudget {
  const model = modelOrFallback(settings.model);
  const factor = model.exactTokenizer ? 1 : model.estimateFactor;
  const scale = (n: number) => (factor === 1 ? n : Math.ceil(n * factor));
  const out: SectionTokens[] = [];
  let sum = 0;
  let messages = 0;
  let systemParts = 0;
  let userParts = 0;
  for (const s of sections) {
    if (!s.enabled || s.text === null) {
      out.push({ index: s.index, tokens: 0 });
      continue;
    }
    let n = counter.count(s.text);
    if (s.kind === "examples") {
      for (const e of s.examples) n += counter.count(e.input) + counter.count(e.output) + 2 * MESSAGE_OVERHEAD;
    }
    if (s.text.trim() !== "") {
      if (s.kind === "system") systemParts++;
      else userParts++;
    }
    n = scale(n);
    out.push({ index: s.index, tokens: n });
    sum += n;
  }
  if (systemParts > 0) messages++;
  if (userParts > 0) messages++;
  // Sections inside one message are joined by a blank line: one token between neighbours.
  const separators = Math.max(0, systemParts - 1) + Math.max(0, userParts - 1);
  const overhead = scale(messages * MESSAGE_OVERHEAD + REPLY_OVERHEAD + separators);
  const inputTokens = sum + overhead;
  const reservedOutput = settings.maxTokens ?? model.defaultMaxTokens;
  const remaining = model.contextWindow - inputTokens - reservedOutput;
  return {
    model,
    exact: model.exactTokenizer,
    sections: out,
    overhead,
    inputTokens,
    reservedOutput,
    contextWindow: model.contextWindow,
    remaining,
    fits: remaining >= 0,
    inputCost: costOf(inputTokens, model.inputPerMTok),
    maxOutputCost: costOf(reservedOutput, model.outputPerMTok),
  };
}

/** "$0.0123" with enough digits to show small amounts. */
export function formatCost(dollars: number): string {
  if (dollars === 0) return "$0";
  if (dollars < 0.0001) return "<$0.0001";
  if (dollars < 1) return `$${dollars.toFixed(4)}`;
  return `$${dollars.toFixed(2)}`;
}
