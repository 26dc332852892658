/**
 * The model providers the playground can call, from the environment (a fixed deployment):
 * `OPENAI_*` speaks the OpenAI Chat Completions protocol (OpenAI and every compatible server:
 * Azure OpenAI, OpenRouter, Ollama, vLLM, LM Studio, llama.cpp), `ANTHROPIC_*` the Anthropic
 * Messages protocol. A provider exists only when its key is set. Keys never leave the server.
 */
import { BoundedCache } from "~/prompt/bounded-cache";
import { MODELS } from "~/prompt/models";
import type { Env } from "../env.server";
import { logger } from "../logger.server";
import { loadAnthropic, loadOpenAI } from "./sdks.server";

export type Protocol = "openai" | "anthropic";
export type ProviderConfig = {
  /** "openai" / "anthropic" for the environment's providers, the row id for those configured in the app. */
  id: string;
  name: string;
  protocol: Protocol;
  baseUrl: string;
  apiKey: string;
  /** The allow-list; undefined = whatever the provider lists. */
  allowedModels?: string[];
  /** Where it is configured: the environment (read-only) or the admin page. */
  source: "env" | "app";
};
/** What the page may know of a provider. */
export type ProviderInfo = { id: string; name: string; protocol: Protocol; models: string[] };

export function configuredProviders(env: Env): ProviderConfig[] {
  const providers: ProviderConfig[] = [];
  if (env.OPENAI_API_KEY) {
    const baseUrl = env.OPENAI_BASE_URL ?? "https://api.openai.com/v1";
    providers.push({
      id: "openai",
      name: env.OPENAI_BASE_URL ? `OpenAI-compatible (${new URL(baseUrl).host})` : "OpenAI",
      protocol: "openai",
      baseUrl,
      apiKey: env.OPENAI_API_KEY,
      allowedModels: env.OPENAI_MODELS,
      source: "env",
    });
  }
  if (env.ANTHROPIC_API_KEY) {
    const baseUrl = env.ANTHROPIC_BASE_URL ?? "https://api.anthropic.com";
    providers.push({
      id: "anthropic",
      name: env.ANTHROPIC_BASE_URL ? `Anthropic-compatible (${new URL(baseUrl).host})` : "Anthropic",
      protocol: "anthropic",
      baseUrl,
      apiKey: env.ANTHROPIC_API_KEY,
      allowedModels: env.ANTHROPIC_MODELS,
      source: "env",
    });
  }
  return providers;
}

/** Clients retry nothing by themselves: a person is waiting, and a retry would double the cost. */
export async function openAIClient(p: ProviderConfig, timeoutMs: number) {
  const OpenAI = await loadOpenAI();
  return new OpenAI({ apiKey: p.apiKey, baseURL: p.baseUrl, maxRetries: 0, timeout: timeoutMs });
}
export async function anthropicClient(p: ProviderConfig, timeoutMs: number) {
  const Anthropic = await loadAnthropic();
  return new Anthropic({ apiKey: p.apiKey, baseURL: p.baseUrl, maxRetries: 0, timeout: timeoutMs });
}

const MODEL_LIST_TTL_MS = 5 * 60_000;
/** Per provider and base URL, at most 200 lists (a changed base URL is a new entry). */
const modelLists = new BoundedCache<{ at: number; models: string[] }>(200, 2_000_000);
const listKey = (p: ProviderConfig) => `${p.id} ${p.baseUrl}`;

/** Drops a provider's cached model list (after an admin changes or removes it). */
export function forgetModelList(p: Pick<ProviderConfig, "id" | "baseUrl">): void {
  modelLists.delete(`${p.id} ${p.baseUrl}`);
}

/** The app's own model table for a protocol: the fallback when a provider cannot list its models. */
const tableModels = (protocol: Protocol) => MODELS.filter((m) => m.provider === protocol).map((m) => m.id);

/**
 * The models a provider offers: its allow-list, else its models endpoint (cached five minutes), else
 * the app's model table for its protocol.
 */
export async function providerModels(p: ProviderConfig): Promise<string[]> {
  if (p.allowedModels) return p.allowedModels;
  const cached = modelLists.get(listKey(p));
  if (cached && Date.now() - cached.at < MODEL_LIST_TTL_MS) return cached.models;
  let models: string[];
  try {
    const signal = AbortSignal.timeout(5000);
    if (p.protocol === "openai") {
      models = [];
      for await (const m of (await openAIClient(p, 5000)).models.list({ signal })) models.push(m.id);
    } else {
      models = [];
      for await (const m of (await anthropicClient(p, 5000)).models.list({}, { signal })) models.push(m.id);
    }
    models.sort();
  } catch (err) {
    logger.warn("provider model list unavailable; using the app's model table", { provider: p.id, err: String(err) });
    models = tableModels(p.protocol);
  }
  modelLists.set(listKey(p), { at: Date.now(), models }, models.join(",").length + 50);
  return models;
}

export async function providerInfos(providers: readonly ProviderConfig[]): Promise<ProviderInfo[]> {
  return Promise.all(
    providers.map(async (p) => ({
      id: p.id,
      name: p.name,
      protocol: p.protocol,
      models: await providerModels(p),
    })),
  );
}
