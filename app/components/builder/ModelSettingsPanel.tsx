import { useEffect, useState } from "react";
import type { ModelSettings } from "~/prompt/draft";
import type { PromptIssue } from "~/prompt/issues";
import { MODELS, modelOrFallback } from "~/prompt/models";
import { Icon } from "./Icon";

function NumberField({
  id,
  label,
  value,
  onChange,
  step,
  min,
  max,
  hint,
  error,
  placeholder,
}: {
  id: string;
  label: string;
  value: number | undefined;
  onChange: (v: number | undefined) => void;
  step: number;
  min: number;
  max?: number;
  hint?: string;
  error?: string;
  placeholder?: string;
}) {
  const [text, setText] = useState(value === undefined ? "" : String(value));
  useEffect(() => {
    setText((t) =>
      Number(t) === value || (t === "" && value === undefined) ? t : value === undefined ? "" : String(value),
    );
  }, [value]);
  const ids = [hint ? `${id}-hint` : "", error ? `${id}-err` : ""].filter(Boolean).join(" ") || undefined;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="number"
        inputMode="decimal"
        step={step}
        min={min}
        max={max}
        value={text}
        placeholder={placeholder}
        aria-invalid={!!error}
        aria-describedby={ids}
        onChange={(e) => {
          setText(e.target.value);
          const n = e.target.value === "" ? undefined : Number(e.target.value);
          onChange(n === undefined || Number.isNaN(n) ? undefined : n);
        }}
      />
      {hint ? (
        <span id={`${id}-hint`} className="field-hint">
          {hint}
        </span>
      ) : null}
      {error ? (
        <span id={`${id}-err`} className="field-error">
          {error}
        </span>
      ) : null}
    </div>
  );
}

const decode = (s: string) => s.replace(/\\n/g, "\n").replace(/\\t/g, "\t");
const encode = (s: string) => JSON.stringify(s).slice(1, -1);

export function ModelSettingsPanel({
  settings,
  issues,
  onChange,
}: {
  settings: ModelSettings;
  issues: readonly PromptIssue[];
  onChange: (s: ModelSettings) => void;
}) {
  const model = modelOrFallback(settings.model);
  const err = (f: string) => issues.find((i) => i.path[0] === "modelSettings" && i.path[1] === f)?.message;
  const [stop, setStop] = useState("");
  const known = MODELS.some((m) => m.id === settings.model);
  const set = (patch: Partial<ModelSettings>) => onChange({ ...settings, ...patch });
  const clean = (patch: Partial<ModelSettings>) => {
    const next = { ...settings, ...patch };
    for (const k of ["temperature", "topP", "maxTokens"] as const) if (next[k] === undefined) delete next[k];
    onChange(next);
  };
  return (
    <div className="model-settings">
      <div className="field">
        <label htmlFor="ms-model">Model</label>
        <select
          id="ms-model"
          value={settings.model}
          onChange={(e) => set({ model: e.target.value })}
          aria-describedby={err("model") ? "ms-model-err" : undefined}
        >
          {known ? null : <option value={settings.model}>{settings.model} (not in the list)</option>}
          <optgroup label="OpenAI">
            {MODELS.filter((m) => m.provider === "openai").map((m) => (
              <option key={m.id} value={m.id}>
                {m.label}
              </option>
            ))}
          </optgroup>
          <optgroup label="Anthropic">
            {MODELS.filter((m) => m.provider === "anthropic").map((m) => (
              <option key={m.id} value={m.id}>
                {m.label}
              </option>
            ))}
          </optgroup>
        </select>
        {err("model") ? (
          <span id="ms-model-err" className="field-warning">
            {err("model")}
          </span>
        ) : null}
      </div>
      <div className="field-grid">
        <NumberField
          id="ms-temperature"
          label="Temperature"
          value={settings.temperature}
          step={0.1}
          min={0}
          max={model.temperatureMax}
          placeholder={model.sampling === "none" ? "not supported" : "model default"}
          hint={model.sampling === "none" ? `${model.label} fixes sampling` : `0–${model.temperatureMax}`}
          error={err("temperature")}
          onChange={(temperature) => clean({ temperature })}
        />
        <NumberField
          id="ms-topp"
          label="top_p"
          value={settings.topP}
          step={0.05}
          min={0}
          max={1}
          placeholder={model.sampling === "none" ? "not supported" : "model default"}
          hint={model.sampling === "either" ? "temperature or top_p, not both" : "0–1"}
          error={err("topP")}
          onChange={(topP) => clean({ topP })}
        />
        <NumberField
          id="ms-max"
          label="max_tokens"
          value={settings.maxTokens}
          step={1}
          min={1}
          max={model.maxOutputTokens}
          placeholder={`${model.defaultMaxTokens} (default)`}
          hint={`up to ${model.maxOutputTokens.toLocaleString("en")}`}
          error={err("maxTokens")}
          onChange={(maxTokens) => clean({ maxTokens: maxTokens === undefined ? undefined : Math.round(maxTokens) })}
        />
      </div>
      <div className="field">
        <label htmlFor="ms-stop">Stop sequences</label>
        <div className="chips">
          {settings.stop.map((s, i) => (
            <span key={i} className="chip">
              <code>{encode(s)}</code>
              <button
                type="button"
                className="chip-x"
                aria-label={`Remove stop sequence ${encode(s)}`}
                onClick={() => set({ stop: settings.stop.filter((_, j) => j !== i) })}
              >
                <Icon name="x" size={12} />
              </button>
            </span>
          ))}
        </div>
        <div className="inline-add">
          <input
            id="ms-stop"
            type="text"
            value={stop}
            placeholder={model.maxStop === 0 ? "not supported by this model" : "e.g. </answer> or \\n"}
            aria-describedby="ms-stop-hint"
            onChange={(e) => setStop(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === "Enter") {
                e.preventDefault();
                if (stop) set({ stop: [...settings.stop, decode(stop)] });
                setStop("");
              }
            }}
          />
          <button
            type="button"
            className="btn btn-sm"
            disabled={!stop}
            onClick={() => {
              set({ stop: [...settings.stop, decode(stop)] });
              setStop("");
            }}
          >
            Add
          </button>
        </div>
        <span id="ms-stop-hint" className="field-hint">
          Press Enter to add; \n and \t are newline and tab.{model.maxStop ? ` At most ${model.maxStop}.` : ""}
        </span>
        {err("stop") ? <span className="field-error">{err("stop")}</span> : null}
      </div>
    </div>
  );
}
