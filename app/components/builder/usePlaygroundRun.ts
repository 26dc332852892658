/**
 * A playground run from the page: posts the draft and values to /resources/playground and reads
 * the server-sent events from the response body as they arrive (EventSource cannot POST). Stop
 * aborts the fetch, which closes the request and with it the provider's.
 */
import { useCallback, useEffect, useRef, useState } from "react";
import type { PromptDraft } from "~/prompt/draft";
import { createRunEventDecoder, type RunEvent, type RunFailure, type ToolCall } from "~/prompt/run-events";
import type { Issue } from "~/prompt/problem";

export type ProviderOption = { id: string; name: string; protocol: "openai" | "anthropic"; models: string[] };
export type RunState = {
  status: "idle" | "running" | "done" | "failed";
  text: string;
  toolCalls: ToolCall[];
  done: Extract<RunEvent, { type: "done" }> | null;
  failure: RunFailure | null;
  issues: Issue[];
};

/** The builder's draft (of `slug` when saved) or a saved `version` of `slug`. */
export type RunRequestBody = {
  draft?: PromptDraft;
  slug?: string;
  version?: number;
  values: Record<string, unknown>;
  provider: string;
  model: string;
};

export const IDLE: RunState = { status: "idle", text: "", toolCalls: [], done: null, failure: null, issues: [] };

export function useProviders(active: boolean) {
  const [providers, setProviders] = useState<ProviderOption[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (!active || providers) return;
    let live = true;
    fetch("/resources/playground", { headers: { Accept: "application/json" } })
      .then(async (res) => {
        if (!res.ok) throw new Error(`the server answered ${res.status}`);
        const body = (await res.json()) as { providers: ProviderOption[] };
        if (live) setProviders(body.providers);
      })
      .catch((e: Error) => live && setError(`Could not load the providers: ${e.message}`));
    return () => {
      live = false;
    };
  }, [active, providers]);
  return { providers, error };
}

export function usePlaygroundRun() {
  const [state, setState] = useState<RunState>(IDLE);
  const controller = useRef<AbortController | null>(null);

  const run = useCallback(async (request: RunRequestBody) => {
    controller.current?.abort();
    const abort = new AbortController();
    controller.current = abort;
    setState({ ...IDLE, status: "running" });
    try {
      const res = await fetch("/resources/playground", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(request),
        signal: abort.signal,
      });
      if (!res.ok || !res.body) {
        const problem = (await res.json().catch(() => null)) as { error?: string; issues?: Issue[] } | null;
        setState({
          ...IDLE,
          status: "failed",
          failure: { kind: "bad-request", message: problem?.error ?? `The server answered ${res.status}.` },
          issues: problem?.issues ?? [],
        });
        return;
      }
      const decode = createRunEventDecoder();
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        for (const event of decode(value)) {
          setState((s) => {
            switch (event.type) {
              case "text":
                return { ...s, text: s.text + event.text };
              case "tool-call":
                return { ...s, toolCalls: [...s.toolCalls, event.call] };
              case "done":
                return { ...s, status: "done", done: event };
              case "error":
                return { ...s, status: "failed", failure: event.failure };
              default:
                return s;
            }
          });
        }
      }
      setState((s) =>
        s.status === "running"
          ? { ...s, status: "failed", failure: { kind: "connection", message: "The run ended without an answer." } }
          : s,
      );
    } catch {
      setState((s) =>
        abort.signal.aborted
          ? { ...s, status: "failed", failure: { kind: "aborted", message: "Stopped." } }
          : {
              ...s,
              status: "failed",
              failure: { kind: "connection", message: "The connection to the server dropped." },
            },
      );
    }
  }, []);

  const stop = useCallback(() => controller.current?.abort(), []);
  useEffect(() => () => controller.current?.abort(), []);
  return { state, run, stop };
}
