/**
 * The "Run" side tab: sends the draft, with the preview's values, to a configured model provider
 * and streams the answer in; shows what it cost (the provider's token counts next to the app's
 * estimate, latency to the first token and in total, cost from the model table, finish reason).
 */
import { useEffect, useState } from "react";
import type { PromptDraft } from "~/prompt/draft";
import { typedValues } from "~/prompt/form-values";
import { counted } from "../plural";
import { usePlaygroundRun, useProviders } from "./usePlaygroundRun";

type Props = {
  active: boolean;
  draft: PromptDraft;
  /** The preview's values as typed in the variables panel. */
  values: Readonly<Record<string, string | boolean>>;
  /** Errors in the draft: a run is refused until they are fixed. */
  errorCount: number;
  /** The app's own input-token count for the draft, to compare with the provider's. */
  estimatedInputTokens: number | null;
};

const fmtMs = (ms: number | null) => (ms === null ? "—" : ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(2)} s`);
const fmtUsd = (usd: number | null) =>
  usd === null ? "not in the model table" : `$${usd.toFixed(usd < 0.01 ? 5 : 3)}`;

function prettyJson(text: string): string | null {
  const t = text.trim();
  if (!t.startsWith("{") && !t.startsWith("[")) return null;
  try {
    return JSON.stringify(JSON.parse(t), null, 2);
  } catch {
    return null;
  }
}

export function RunPanel({ active, draft, values, errorCount, estimatedInputTokens }: Props) {
  const { providers, error } = useProviders(active);
  const { state, run, stop } = usePlaygroundRun();
  const [providerId, setProviderId] = useState("");
  const [model, setModel] = useState("");
  const provider = providers?.find((p) => p.id === providerId) ?? providers?.[0];

  useEffect(() => {
    if (!provider) return;
    if (!providerId) setProviderId(provider.id);
    if (!model || !provider.models.includes(model)) {
      setModel(
        provider.models.includes(draft.modelSettings.model) ? draft.modelSettings.model : (provider.models[0] ?? ""),
      );
    }
  }, [provider, providerId, model, draft.modelSettings.model]);

  if (error) return <p className="callout callout-error">{error}</p>;
  if (!providers) return <p className="muted">Loading providers…</p>;
  if (providers.length === 0) {
    return (
      <div className="callout callout-info">
        <p className="callout-title">No model provider is configured on this server.</p>
        <p>
          Set <code>OPENAI_API_KEY</code> (with <code>OPENAI_BASE_URL</code> for an OpenAI-compatible server such as
          Ollama or vLLM) or <code>ANTHROPIC_API_KEY</code>, then restart; see the README.
        </p>
      </div>
    );
  }

  const running = state.status === "running";
  const json = state.status === "done" ? prettyJson(state.text) : null;
  const usage = state.done?.usage;
  return (
    <div className="run-panel">
      <div className="run-controls">
        <div className="field">
          <label htmlFor="run-provider">Provider</label>
          <select id="run-provider" value={provider?.id ?? ""} onChange={(e) => setProviderId(e.target.value)}>
            {providers.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="run-model">Model</label>
          <select id="run-model" value={model} onChange={(e) => setModel(e.target.value)}>
            {provider?.models.map((m) => (
              <option key={m} value={m}>
                {m}
              </option>
            ))}
          </select>
        </div>
        <div className="run-buttons">
          {running ? (
            <button type="button" className="btn" onClick={stop}>
              Stop
            </button>
          ) : (
            <button
              type="button"
              className="btn btn-primary"
              disabled={!provider || !model || errorCount > 0}
              onClick={() =>
                provider &&
                void run({ draft, values: typedValues(draft.variables, values), provider: provider.id, model })
              }
            >
              Run
            </button>
          )}
        </div>
      </div>
      {errorCount > 0 && !running ? (
        <p className="muted" id="run-blocked">
          Fix {counted(errorCount, "problem", "problems")} in the prompt to run it.
        </p>
      ) : null}

      <div className="run-output" aria-live="polite" aria-busy={running} id="run-output">
        {state.status === "idle" ? (
          <p className="muted">The answer appears here as the model writes it.</p>
        ) : json ? (
          <>
            <p className="badge">JSON output</p>
            <pre>{json}</pre>
          </>
        ) : (
          <pre>{state.text || (running ? "…" : "")}</pre>
        )}
        {state.toolCalls.map((c) => (
          <div key={c.id} className="run-tool-call">
            <p className="badge">Tool call: {c.name}</p>
            <pre>{prettyJson(c.arguments) ?? c.arguments}</pre>
          </div>
        ))}
      </div>

      {state.failure ? (
        <div className="callout callout-error" role="alert" id="run-error">
          <p>{state.failure.message}</p>
          {state.issues.length ? (
            <ul>
              {state.issues.map((i, n) => (
                <li key={n}>
                  {i.path.join(".")}: {i.message}
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}

      {state.done ? (
        <dl className="run-stats" id="run-stats">
          <dt>Input tokens</dt>
          <dd>
            {usage ? usage.inputTokens.toLocaleString("en") : "—"}
            {estimatedInputTokens !== null ? (
              <span className="muted"> (estimate {estimatedInputTokens.toLocaleString("en")})</span>
            ) : null}
          </dd>
          <dt>Output tokens</dt>
          <dd>{usage ? usage.outputTokens.toLocaleString("en") : "—"}</dd>
          <dt>First token</dt>
          <dd>{fmtMs(state.done.firstTokenMs)}</dd>
          <dt>Total</dt>
          <dd>{fmtMs(state.done.totalMs)}</dd>
          <dt>Cost</dt>
          <dd>{fmtUsd(state.done.costUsd)}</dd>
          <dt>Finish reason</dt>
          <dd>{state.done.finishReason ?? "—"}</dd>
        </dl>
      ) : null}
    </div>
  );
}
