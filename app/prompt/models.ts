/**
 * The models the builder knows: context window, output limit, prices and request quirks. One data
 * file so that a price change is a one-line edit. Figures are per million tokens in US dollars.
 *
 * FIGURES_AS_OF is the day these figures were copied from the providers' model and pricing pages
 * (OpenAI: platform.openai.com/docs/models and /docs/pricing; Anthropic:
 * platform.claude.com/docs/en/about-claude/models/overview). Prices change: re-check them and move
 * the date together with any edit.
 */
export const FIGURES_AS_OF = "2026-11-26";

export type Provider = "openai" | "anthropic";
/** Tokenizers gpt-tokenizer ships. Anthropic's tokenizer is not public: counts are estimates. */
export type Encoding = "o200k_base" | "cl100k_base";

export type ModelInfo = {
  id: string;
  label: string;
  provider: Provider;
  /** Total tokens per request: input plus output. */
  contextWindow: number;
  /** Largest max_tokens / max_completion_tokens the API accepts. */
  maxOutputTokens: number;
  /** Output tokens reserved when the prompt sets no max_tokens. */
  defaultMaxTokens: number;
  inputPerMTok: number;
  outputPerMTok: number;
  encoding: Encoding;
  /** false when the provider does not publish the tokenizer; the count is then an estimate. */
  exactTokenizer: boolean;
  /** Multiplier applied to the encoding's count to estimate a non-public tokenizer. */
  estimateFactor: number;
  /** Sampling parameters the model accepts; "either" = temperature or top_p, not both. */
  sampling: "both" | "either" | "none";
  temperatureMax: number;
  /** Stop sequences: most the API accepts (0 = not supported). */
  maxStop: number;
  /** OpenAI reasoning models take instructions as a `developer` message. */
  systemRole: "system" | "developer" | "top-level";
};

const openai = (
  m: Omit<ModelInfo, "provider" | "encoding" | "exactTokenizer" | "estimateFactor" | "systemRole" | "temperatureMax"> &
    Partial<ModelInfo>,
): ModelInfo => ({
  provider: "openai",
  encoding: "o200k_base",
  exactTokenizer: true,
  estimateFactor: 1,
  systemRole: m.sampling === "none" ? "developer" : "system",
  temperatureMax: 2,
  ...m,
});

const anthropic = (
  m: Omit<
    ModelInfo,
    "provider" | "encoding" | "exactTokenizer" | "estimateFactor" | "systemRole" | "temperatureMax" | "maxStop"
  > &
    Partial<ModelInfo>,
): ModelInfo => ({
  provider: "anthropic",
  encoding: "o200k_base",
  exactTokenizer: false,
  // Anthropic documents that its newer tokenizer yields noticeably more tokens than older ones for
  // the same text; o200k × 1.2 errs on the side of a fuller budget bar.
  estimateFactor: 1.2,
  systemRole: "top-level",
  temperatureMax: 1,
  maxStop: 16,
  ...m,
});

export const MODELS: readonly ModelInfo[] = [
  openai({
    id: "gpt-5.1",
    label: "GPT-5.1",
    contextWindow: 400_000,
    maxOutputTokens: 128_000,
    defaultMaxTokens: 16_000,
    inputPerMTok: 1.25,
    outputPerMTok: 10,
    sampling: "none",
    maxStop: 0,
  }),
  openai({
    id: "gpt-5",
    label: "GPT-5",
    contextWindow: 400_000,
    maxOutputTokens: 128_000,
    defaultMaxTokens: 16_000,
    inputPerMTok: 1.25,
    outputPerMTok: 10,
    sampling: "none",
    maxStop: 0,
  }),
  openai({
    id: "gpt-5-mini",
    label: "GPT-5 mini",
    contextWindow: 400_000,
    maxOutputTokens: 128_000,
    defaultMaxTokens: 16_000,
    inputPerMTok: 0.25,
    outputPerMTok: 2,
    sampling: "none",
    maxStop: 0,
  }),
  openai({
    id: "gpt-5-nano",
    label: "GPT-5 nano",
    contextWindow: 400_000,
    maxOutputTokens: 128_000,
    defaultMaxTokens: 16_000,
    inputPerMTok: 0.05,
    outputPerMTok: 0.4,
    sampling: "none",
    maxStop: 0,
  }),
  openai({
    id: "gpt-4.1",
    label: "GPT-4.1",
    contextWindow: 1_047_576,
    maxOutputTokens: 32_768,
    defaultMaxTokens: 4_096,
    inputPerMTok: 2,
    outputPerMTok: 8,
    sampling: "both",
    maxStop: 4,
  }),
  openai({
    id: "gpt-4.1-mini",
    label: "GPT-4.1 mini",
    contextWindow: 1_047_576,
    maxOutputTokens: 32_768,
    defaultMaxTokens: 4_096,
    inputPerMTok: 0.4,
    outputPerMTok: 1.6,
    sampling: "both",
    maxStop: 4,
  }),
  openai({
    id: "gpt-4.1-nano",
    label: "GPT-4.1 nano",
    contextWindow: 1_047_576,
    maxOutputTokens: 32_768,
    defaultMaxTokens: 4_096,
    inputPerMTok: 0.1,
    outputPerMTok: 0.4,
    sampling: "both",
    maxStop: 4,
  }),
  openai({
    id: "gpt-4o",
    label: "GPT-4o",
    contextWindow: 128_000,
    maxOutputTokens: 16_384,
    defaultMaxTokens: 4_096,
    inputPerMTok: 2.5,
    outputPerMTok: 10,
    sampling: "both",
    maxStop: 4,
  }),
  openai({
    id: "gpt-4o-mini",
    label: "GPT-4o mini",
    contextWindow: 128_000,
    maxOutputTokens: 16_384,
    defaultMaxTokens: 4_096,
    inputPerMTok: 0.15,
    outputPerMTok: 0.6,
    sampling: "both",
    maxStop: 4,
  }),
  openai({
    id: "o3",
    label: "o3",
    contextWindow: 200_000,
    maxOutputTokens: 100_000,
    defaultMaxTokens: 16_000,
    inputPerMTok: 2,
    outputPerMTok: 8,
    sampling: "none",
    maxStop: 0,
  }),
  openai({
    id: "o4-mini",
    label: "o4-mini",
    contextWindow: 200_000,
    maxOutputTokens: 100_000,
    defaultMaxTokens: 16_000,
    inputPerMTok: 1.1,
    outputPerMTok: 4.4,
    sampling: "none",
    maxStop: 0,
  }),
  openai({
    id: "gpt-3.5-turbo",
    label: "GPT-3.5 Turbo (legacy)",
    contextWindow: 16_385,
    maxOutputTokens: 4_096,
    defaultMaxTokens: 1_024,
    inputPerMTok: 0.5,
    outputPerMTok: 1.5,
    sampling: "both",
    maxStop: 4,
    encoding: "cl100k_base",
  }),
  anthropic({
    id: "claude-opus-5-5",
    label: "Claude Opus 5.5",
    contextWindow: 1_000_000,
    maxOutputTokens: 128_000,
    defaultMaxTokens: 16_000,
    inputPerMTok: 4,
    outputPerMTok: 20,
    sampling: "none",
  }),
  anthropic({
    id: "claude-sonnet-5-5",
    label: "Claude Sonnet 5.5",
    contextWindow: 1_000_000,
    maxOutputTokens: 128_000,
    defaultMaxTokens: 16_000,
    inputPerMTok: 2,
    outputPerMTok: 10,
    sampling: "none",
  }),
  anthropic({
    id: "claude-sonnet-5",
    label: "Claude Sonnet 5",
    contextWindow: 1_000_000,
    maxOutputTokens: 128_000,
    defaultMaxTokens: 16_000,
    inputPerMTok: 2,
    outputPerMTok: 10,
    sampling: "none",
  }),
  anthropic({
    id: "claude-haiku-4-5",
    label: "Claude Haiku 4.5",
    contextWindow: 200_000,
    maxOutputTokens: 64_000,
    defaultMaxTokens: 4_096,
    inputPerMTok: 1,
    outputPerMTok: 5,
    sampling: "either",
    estimateFactor: 1.1,
  }),
];

export const DEFAULT_MODEL_ID = "gpt-4o";

const byId = new Map(MODELS.map((m) => [m.id, m]));

export function getModel(id: string): ModelInfo | undefined {
  return byId.get(id);
}

/** The model for an id, or a conservative stand-in so an unknown id still gets a budget. */
export function modelOrFallback(id: string): ModelInfo {
  return (
    byId.get(id) ?? {
      ...byId.get(DEFAULT_MODEL_ID)!,
      id,
      label: `${id} (unknown model)`,
      provider: id.startsWith("claude") ? "anthropic" : "openai",
      exactTokenizer: false,
      estimateFactor: 1.2,
    }
  );
}

/** Cost in dollars of `tokens` at a per-million price. */
export function costOf(tokens: number, perMTok: number): number {
  return (tokens * perMTok) / 1_000_000;
}
