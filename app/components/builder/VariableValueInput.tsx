import type { Variable } from "~/prompt/draft";
import { isJsonValued } from "~/prompt/form-values";
import { DraftField } from "./DraftField";
import { toRaw, type RawValue } from "./raw-value";

/** The preview value of one variable, with the input its type calls for. */
export function VariableValueInput({
  v,
  raw,
  onChange,
  error,
  idBase,
}: {
  v: Variable;
  raw: RawValue | undefined;
  onChange: (r: RawValue | undefined) => void;
  error?: string;
  idBase: string;
}) {
  const id = `${idBase}-value`;
  const errId = `${idBase}-value-err`;
  const fallback = v.default !== undefined ? toRaw(v.type, v.default, v.itemType) : undefined;
  const placeholder =
    fallback !== undefined && fallback !== ""
      ? `Default: ${String(fallback).split("\n")[0]}`
      : v.required
        ? "Required"
        : "Optional";
  const label = `Preview value for ${v.name}`;
  const described = error ? errId : undefined;
  let input;
  if (v.type === "boolean") {
    const current =
      raw === undefined ? (typeof v.default === "boolean" ? v.default : false) : raw === true || raw === "true";
    input = (
      <label className="check">
        <input
          id={id}
          type="checkbox"
          checked={current}
          onChange={(e) => onChange(e.target.checked)}
          aria-describedby={described}
        />
        <span>{current ? "true" : "false"}</span>
        <span className="sr-only">{label}</span>
      </label>
    );
  } else if (v.type === "enum") {
    input = (
      <select
        id={id}
        aria-label={label}
        value={typeof raw === "string" ? raw : ""}
        onChange={(e) => onChange(e.target.value === "" ? undefined : e.target.value)}
        aria-invalid={!!error}
        aria-describedby={described}
      >
        <option value="">{v.default !== undefined ? `Default (${String(v.default)})` : "— choose —"}</option>
        {v.enumValues.map((e) => (
          <option key={e} value={e}>
            {e}
          </option>
        ))}
      </select>
    );
  } else {
    input = (
      <DraftField
        id={id}
        aria-label={label}
        value={typeof raw === "string" ? raw : ""}
        multiline={v.type === "text" || v.type === "list" || isJsonValued(v.type, v.itemType)}
        placeholder={
          v.type === "messages"
            ? `${placeholder} — JSON: [{"role": "user", "content": "…"}, {"role": "assistant", "content": "…"}]`
            : isJsonValued(v.type, v.itemType)
              ? `${placeholder} — JSON: ${v.type === "list" ? "[" : ""}{${(v.fields ?? []).map((f) => `"${f.name}": …`).join(", ")}}${v.type === "list" ? ", …]" : ""}`
              : v.type === "list"
                ? `${placeholder} — one item per line`
                : placeholder
        }
        inputMode={v.type === "number" ? "decimal" : undefined}
        aria-invalid={!!error}
        aria-describedby={described}
        onCommit={(t) => onChange(t === "" ? undefined : t)}
      />
    );
  }
  return (
    <div className="var-value">
      {input}
      {error ? (
        <p id={errId} className="field-error">
          {error}
        </p>
      ) : null}
    </div>
  );
}
