/**
 * Provider and model pickers for a run, from GET /resources/playground (names and models only,
 * never a key). The model starts at `preferredModel` when the provider offers it.
 */
import { useEffect } from "react";
import type { ProviderOption } from "../builder/usePlaygroundRun";

export type Choice = { provider: string; model: string };

export function ProviderModelSelect({
  providers,
  value,
  onChange,
  preferredModel,
  idPrefix,
  disabled,
}: {
  providers: readonly ProviderOption[];
  value: Choice;
  onChange: (next: Choice) => void;
  preferredModel?: string;
  idPrefix: string;
  disabled?: boolean;
}) {
  const provider = providers.find((p) => p.id === value.provider) ?? providers[0];
  useEffect(() => {
    if (!provider) return;
    if (value.provider !== provider.id || !provider.models.includes(value.model)) {
      const model =
        preferredModel && provider.models.includes(preferredModel) ? preferredModel : (provider.models[0] ?? "");
      onChange({ provider: provider.id, model });
    }
  }, [provider, value.provider, value.model, preferredModel, onChange]);
  return (
    <>
      <div className="field">
        <label htmlFor={`${idPrefix}-provider`}>Provider</label>
        <select
          id={`${idPrefix}-provider`}
          value={provider?.id ?? ""}
          disabled={disabled}
          onChange={(e) => onChange({ provider: e.target.value, model: "" })}
        >
          {providers.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${idPrefix}-model`}>Model</label>
        <select
          id={`${idPrefix}-model`}
          value={value.model}
          disabled={disabled}
          onChange={(e) => onChange({ provider: provider?.id ?? "", model: e.target.value })}
        >
          {provider?.models.map((m) => (
            <option key={m} value={m}>
              {m}
            </option>
          ))}
        </select>
      </div>
    </>
  );
}

/** Shown where a run could start but no provider is configured. */
export function NoProviders() {
  return (
    <div className="callout callout-info">
      <p className="callout-title">No model provider is configured on this server.</p>
      <p>
        An admin adds one under <a href="/admin/providers">Admin → Providers</a>, or sets <code>OPENAI_API_KEY</code> /{" "}
        <code>ANTHROPIC_API_KEY</code> for a fixed deployment.
      </p>
    </div>
  );
}
