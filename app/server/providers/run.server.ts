/**
 * One playground run: sends the request body the preview shows (the OpenAI or Anthropic target,
 * with the chosen model) through the provider's official SDK with streaming on, and yields what
 * comes back as `RunEvent`s: text as it is generated, tool calls, then usage, latency, cost and
 * the finish reason — or a failure explained in words. Aborting `signal` (Stop, or the page going
 * away) aborts the upstream request.
 */
import type Anthropic from "@anthropic-ai/sdk";
import type OpenAI from "openai";
import { anthropicMessagesRequestSchema, openAIChatRequestSchema } from "~/api/schemas";
import { runCost, type RunEvent, type RunUsage, type ToolCall } from "~/prompt/run-events";
import { explainFailure } from "./failures.server";
import { anthropicClient, openAIClient, type ProviderConfig } from "./providers.server";

// The Messages API takes `temperature` and `top_p` (the preview's Anthropic body carries them when
// the prompt sets them); this SDK version's parameter types leave them out.
declare module "@anthropic-ai/sdk/resources/messages/messages" {
  interface MessageCreateParamsBase {
    temperature?: number;
    top_p?: number;
  }
}

export type RunRequest = {
  provider: ProviderConfig;
  model: string;
  /** The target's request body as rendered (`json` of the openai/anthropic target), checked here against its schema. */
  body: unknown;
  signal: AbortSignal;
  timeoutMs: number;
};

/** The SDK's streaming parameters, built field by field from the preview's OpenAI body. */
function openAIParams(json: unknown, model: string): OpenAI.ChatCompletionCreateParamsStreaming {
  const body = openAIChatRequestSchema.parse(json);
  return {
    model,
    messages: body.messages.map((m): OpenAI.ChatCompletionMessageParam => {
      switch (m.role) {
        case "system":
          return { role: "system", content: m.content };
        case "developer":
          return { role: "developer", content: m.content };
        case "assistant":
          return { role: "assistant", content: m.content };
        case "user":
          return { role: "user", content: m.content };
      }
    }),
    temperature: body.temperature,
    top_p: body.top_p,
    max_completion_tokens: body.max_completion_tokens,
    stop: body.stop,
    stream: true,
    stream_options: { include_usage: true },
  };
}

/** The SDK's streaming parameters, built field by field from the preview's Anthropic body. */
function anthropicParams(json: unknown, model: string): Anthropic.MessageCreateParamsStreaming {
  const body = anthropicMessagesRequestSchema.parse(json);
  return {
    model,
    max_tokens: body.max_tokens,
    system: body.system,
    messages: body.messages,
    temperature: body.temperature,
    top_p: body.top_p,
    stop_sequences: body.stop_sequences,
    stream: true,
  };
}

type Progress = { firstTokenAt: number | null; usage: RunUsage | null; finishReason: string | null };

async function* streamOpenAI(req: RunRequest, signal: AbortSignal, progress: Progress): AsyncGenerator<RunEvent> {
  const client = await openAIClient(req.provider, req.timeoutMs);
  const stream = await client.chat.completions.create(openAIParams(req.body, req.model), { signal });
  const calls = new Map<number, ToolCall>();
  for await (const chunk of stream) {
    if (chunk.usage) {
      progress.usage = { inputTokens: chunk.usage.prompt_tokens, outputTokens: chunk.usage.completion_tokens };
    }
    const choice = chunk.choices[0];
    if (!choice) continue;
    const text = choice.delta?.content;
    if (text) {
      progress.firstTokenAt ??= Date.now();
      yield { type: "text", text };
    }
    for (const d of choice.delta?.tool_calls ?? []) {
      progress.firstTokenAt ??= Date.now();
      const call = calls.get(d.index) ?? { id: d.id ?? "", name: "", arguments: "" };
      if (d.id) call.id = d.id;
      if (d.function?.name) call.name += d.function.name;
      if (d.function?.arguments) call.arguments += d.function.arguments;
      calls.set(d.index, call);
    }
    if (choice.finish_reason) progress.finishReason = choice.finish_reason;
  }
  for (const call of calls.values()) yield { type: "tool-call", call };
}

async function* streamAnthropic(req: RunRequest, signal: AbortSignal, progress: Progress): AsyncGenerator<RunEvent> {
  const client = await anthropicClient(req.provider, req.timeoutMs);
  const stream = await client.messages.create(anthropicParams(req.body, req.model), { signal });
  const calls = new Map<number, ToolCall>();
  let input = 0;
  let output = 0;
  for await (const event of stream) {
    switch (event.type) {
      case "message_start":
        input = event.message.usage.input_tokens;
        output = event.message.usage.output_tokens;
        break;
      case "content_block_start":
        if (event.content_block.type === "tool_use") {
          calls.set(event.index, { id: event.content_block.id, name: event.content_block.name, arguments: "" });
        }
        break;
      case "content_block_delta":
        progress.firstTokenAt ??= Date.now();
        if (event.delta.type === "text_delta") yield { type: "text", text: event.delta.text };
        else if (event.delta.type === "input_json_delta") {
          const call = calls.get(event.index);
          if (call) call.arguments += event.delta.partial_json;
        }
        break;
      case "message_delta":
        progress.finishReason = event.delta.stop_reason ?? progress.finishReason;
        output = event.usage.output_tokens;
        if (event.usage.input_tokens != null) input = event.usage.input_tokens;
        break;
      default:
        break;
    }
    progress.usage = { inputTokens: input, outputTokens: output };
  }
  for (const call of calls.values()) yield { type: "tool-call", call };
}

export async function* runOnProvider(req: RunRequest): AsyncGenerator<RunEvent> {
  const started = Date.now();
  const deadline = AbortSignal.timeout(req.timeoutMs);
  const signal = AbortSignal.any([req.signal, deadline]);
  const progress: Progress = { firstTokenAt: null, usage: null, finishReason: null };
  yield { type: "start", provider: req.provider.name, model: req.model };
  try {
    const stream = req.provider.protocol === "openai" ? streamOpenAI : streamAnthropic;
    for await (const event of stream(req, signal, progress)) yield event;
    // The SDKs end a stream quietly when its signal fires: that is not a complete answer.
    if (signal.aborted) throw signal.reason;
  } catch (error) {
    const cause = req.signal.aborted ? "stopped" : deadline.aborted ? "timeout" : undefined;
    yield {
      type: "error",
      failure: explainFailure(error, {
        provider: req.provider.name,
        model: req.model,
        cause,
        started: progress.firstTokenAt !== null,
      }),
    };
    return;
  }
  yield {
    type: "done",
    finishReason: progress.finishReason,
    usage: progress.usage,
    firstTokenMs: progress.firstTokenAt === null ? null : progress.firstTokenAt - started,
    totalMs: Date.now() - started,
    costUsd: runCost(req.model, progress.usage),
  };
}
