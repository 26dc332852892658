/**
 * The "Run" side tab: sends the draft, with the preview's values, to a configured model provider
 * and streams the answer in; shows what it cost (the provider's token counts next to the app's
 * estimate, latency to the first token and in total, cost from the model table, finish reason).
 */
import { useEffect, useState } from "react";
import type { PromptDraft } from "~/prompt/draft";
import { typedValues } from "~/prompt/form-values";
import { counted } from "../plural";
import { NoProviders } from "../runs/ProviderModelSelect";
import { RunOutput } from "../runs/RunOutput";
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
  /** The saved prompt the draft belongs to: its runs are recorded in its history. */
  slug?: string;
};

export function RunPanel({ active, draft, values, errorCount, estimatedInputTokens, slug }: Props) {
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
    return <NoProviders />;
  }

  const running = state.status === "running";
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
                void run({ draft, slug, values: typedValues(draft.variables, values), provider: provider.id, model })
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

      <RunOutput state={state} estimatedInputTokens={estimatedInputTokens} />
    </div>
  );
}
