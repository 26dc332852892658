/**
 * The model providers' SDKs (`openai`, `@anthropic-ai/sdk`), loaded on first use. Imported at
 * start-up they cost about 31 MB of RSS (openai 20.8 MB, Anthropic 10.6 MB, measured on Node 24 with
 * a GC before and after: docs/decisions/131), and an instance that serves prompts to programs may
 * never call a model. The server bundle hoists every static import of a package to its top, even
 * from modules only routes use, so a dynamic `import()` is the only way to keep them out of the
 * process until a run, a model list or a provider check needs them.
 */
import type AnthropicSdk from "@anthropic-ai/sdk";
import type OpenAISdk from "openai";

type Sdks = { OpenAI?: typeof OpenAISdk; Anthropic?: typeof AnthropicSdk };
const loaded: Sdks = {};
let openai: Promise<typeof OpenAISdk> | undefined;
let anthropic: Promise<typeof AnthropicSdk> | undefined;

export function loadOpenAI(): Promise<typeof OpenAISdk> {
  openai ??= import("openai").then((m) => (loaded.OpenAI = m.default));
  return openai;
}

export function loadAnthropic(): Promise<typeof AnthropicSdk> {
  anthropic ??= import("@anthropic-ai/sdk").then((m) => (loaded.Anthropic = m.default));
  return anthropic;
}

/** The SDKs loaded so far: an SDK's error can only come from an SDK that is loaded. */
export function loadedSdks(): Readonly<Sdks> {
  return loaded;
}
