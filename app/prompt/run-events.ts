/**
 * What a playground run streams to the page: one event per server-sent event. The same types and
 * the same encoder/decoder run on the server (which writes them) and in the browser (which reads
 * them from a `fetch` body: EventSource cannot POST).
 */
import { getModel } from "./models";

export type RunUsage = { inputTokens: number; outputTokens: number };

/** Why a run failed, in the words the page shows. */
export type RunFailure = {
  kind: "auth" | "rate-limit" | "model" | "context" | "timeout" | "connection" | "bad-request" | "provider" | "aborted";
  message: string;
  /** HTTP status the provider answered, when it answered. */
  status?: number;
  /** Seconds to wait before trying again (rate limits). */
  retryAfterSeconds?: number;
};

export type ToolCall = { id: string; name: string; arguments: string };

export type RunEvent =
  | { type: "start"; provider: string; model: string }
  | { type: "text"; text: string }
  | { type: "tool-call"; call: ToolCall }
  | {
      type: "done";
      finishReason: string | null;
      usage: RunUsage | null;
      firstTokenMs: number | null;
      totalMs: number;
      /** US dollars from the app's model table; null when the model is not in it. */
      costUsd: number | null;
    }
  | { type: "error"; failure: RunFailure };

/** Cost of a run from the model table's prices (per million tokens). */
export function runCost(model: string, usage: RunUsage | null): number | null {
  const info = getModel(model);
  if (!info || !usage) return null;
  return (usage.inputTokens * info.inputPerMTok + usage.outputTokens * info.outputPerMTok) / 1_000_000;
}

/** One event as `text/event-stream` text. */
export function encodeRunEvent(event: RunEvent): string {
  return `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
}

/**
 * Reads events from stream text as it arrives: feed chunks, get the events completed so far. Only
 * our own encoding is read (one `data:` line per event), so this is not a general SSE parser.
 */
export function createRunEventDecoder() {
  let buffer = "";
  return (chunk: string): RunEvent[] => {
    buffer += chunk;
    const events: RunEvent[] = [];
    let end: number;
    while ((end = buffer.indexOf("\n\n")) !== -1) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const data = block
        .split("\n")
        .find((line) => line.startsWith("data: "))
        ?.slice(6);
      if (data) events.push(JSON.parse(data) as RunEvent);
    }
    return events;
  };
}
