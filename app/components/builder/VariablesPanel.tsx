import { useEffect, useState } from "react";
import type { Variable, VariableType } from "~/prompt/draft";
import { VARIABLE_TYPES } from "~/prompt/kinds";
import type { PromptIssue } from "~/prompt/issues";
import { parseFormValue } from "~/prompt/form-values";
import { Icon } from "./Icon";

export type RawValue = string | boolean;

const TYPE_LABEL: Record<VariableType, string> = {
  string: "Text (one line)",
  text: "Long text",
  number: "Number",
  boolean: "Yes / no",
  enum: "One of…",
  list: "List of texts",
};

/** Raw form text for a typed value. */
export function toRaw(type: VariableType, value: unknown): RawValue {
  if (value === undefined || value === null) return type === "boolean" ? "" : "";
  if (type === "boolean") return typeof value === "boolean" ? value : String(value);
  if (Array.isArray(value)) return value.join("\n");
  return String(value);
}

/** Text input that keeps what is typed (e.g. "1.") while committing the parsed value. */
function DraftField({
  id,
  value,
  onCommit,
  multiline,
  ...rest
}: {
  id: string;
  value: string;
  onCommit: (raw: string) => void;
  multiline?: boolean;
  "aria-label"?: string;
  "aria-invalid"?: boolean;
  "aria-describedby"?: string;
  placeholder?: string;
  inputMode?: "decimal";
}) {
  const [text, setText] = useState(value);
  const [focused, setFocused] = useState(false);
  useEffect(() => {
    if (!focused) setText(value);
  }, [value, focused]);
  const common = {
    id,
    value: text,
    onFocus: () => setFocused(true),
    onBlur: () => setFocused(false),
    ...rest,
  };
  return multiline ? (
    <textarea
      {...common}
      rows={Math.min(8, Math.max(2, text.split("\n").length))}
      onChange={(e) => (setText(e.target.value), onCommit(e.target.value))}
    />
  ) : (
    <input type="text" {...common} onChange={(e) => (setText(e.target.value), onCommit(e.target.value))} />
  );
}

function ValueInput({
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
  const fallback = v.default !== undefined ? toRaw(v.type, v.default) : undefined;
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
        multiline={v.type === "text" || v.type === "list"}
        placeholder={v.type === "list" ? `${placeholder} — one item per line` : placeholder}
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

type Props = {
  variables: Variable[];
  values: Record<string, RawValue>;
  undeclared: string[];
  issues: readonly PromptIssue[];
  onChangeVariables: (vars: Variable[]) => void;
  onChangeValue: (name: string, raw: RawValue | undefined) => void;
  onDeclare: (names: string[]) => void;
};

export function VariablesPanel({
  variables,
  values,
  undeclared,
  issues,
  onChangeVariables,
  onChangeValue,
  onDeclare,
}: Props) {
  const set = (i: number, patch: Partial<Variable>) =>
    onChangeVariables(variables.map((v, j) => (j === i ? { ...v, ...patch } : v)));
  const issueFor = (path: Array<string | number>) =>
    issues.find((x) => x.path.length === path.length && x.path.every((p, k) => p === path[k]));
  const [newName, setNewName] = useState("");
  const addError =
    newName && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(newName)
      ? "Use letters, digits and _; start with a letter or _"
      : variables.some((v) => v.name === newName)
        ? "Already declared"
        : "";

  return (
    <div className="variables-panel">
      {undeclared.length ? (
        <div className="callout callout-warning" role="status">
          <p>
            <strong>Used but not declared:</strong>{" "}
            {undeclared.map((n) => (
              <button key={n} type="button" className="chip" onClick={() => onDeclare([n])} aria-label={`Declare ${n}`}>
                {`{{${n}}}`} <span aria-hidden="true">＋</span>
              </button>
            ))}
          </p>
          {undeclared.length > 1 ? (
            <button type="button" className="btn btn-sm" onClick={() => onDeclare(undeclared)}>
              Declare all
            </button>
          ) : null}
        </div>
      ) : null}
      {variables.length === 0 && undeclared.length === 0 ? (
        <p className="muted">
          No variables yet. Type <code>{"{{name}}"}</code> in a section and it appears here, or add one below.
        </p>
      ) : null}
      <ul className="var-list">
        {variables.map((v, i) => {
          const idBase = `var-${i}`;
          const nameIssue = issueFor(["variables", i, "name"]);
          const defaultIssue = issueFor(["variables", i, "default"]);
          const enumIssue = issueFor(["variables", i, "enumValues"]);
          const valueIssue = issues.find(
            (x) => x.path[0] === "values" && x.path[1] === v.name && x.severity === "error",
          );
          return (
            <li key={i} className={`var-card${nameIssue?.code === "unused" ? " is-unused" : ""}`}>
              <div className="var-row">
                <div className="var-name">
                  <label htmlFor={`${idBase}-name`} className="sr-only">
                    Variable name
                  </label>
                  <span className="var-brace" aria-hidden="true">
                    {"{{"}
                  </span>
                  <DraftField
                    id={`${idBase}-name`}
                    value={v.name}
                    aria-label="Variable name"
                    aria-invalid={nameIssue?.severity === "error"}
                    onCommit={(name) => set(i, { name: name.trim() })}
                  />
                  <span className="var-brace" aria-hidden="true">
                    {"}}"}
                  </span>
                </div>
                <label className="sr-only" htmlFor={`${idBase}-type`}>
                  Type of {v.name}
                </label>
                <select
                  id={`${idBase}-type`}
                  value={v.type}
                  onChange={(e) => {
                    const type = e.target.value as VariableType;
                    set(i, {
                      type,
                      default: undefined,
                      enumValues:
                        type === "enum" && v.enumValues.length === 0 ? ["option_a", "option_b"] : v.enumValues,
                    });
                  }}
                >
                  {VARIABLE_TYPES.map((t) => (
                    <option key={t} value={t}>
                      {TYPE_LABEL[t]}
                    </option>
                  ))}
                </select>
                <label
                  className="check"
                  title="A required variable must have a value (or a default) before the prompt renders"
                >
                  <input
                    type="checkbox"
                    checked={v.required}
                    onChange={(e) => set(i, { required: e.target.checked })}
                  />
                  <span>Required</span>
                </label>
                <button
                  type="button"
                  className="icon-btn icon-danger"
                  aria-label={`Remove variable ${v.name}`}
                  title="Remove variable"
                  onClick={() => onChangeVariables(variables.filter((_, j) => j !== i))}
                >
                  <Icon name="x" size={14} />
                </button>
              </div>
              {nameIssue ? (
                <p className={nameIssue.severity === "error" ? "field-error" : "field-warning"}>{nameIssue.message}</p>
              ) : null}
              <ValueInput
                v={v}
                raw={values[v.name]}
                idBase={idBase}
                error={valueIssue?.message}
                onChange={(r) => onChangeValue(v.name, r)}
              />
              <details className="var-details">
                <summary>Default, {v.type === "enum" ? "values, " : ""}description</summary>
                {v.type === "enum" ? (
                  <div className="field">
                    <label htmlFor={`${idBase}-enum`}>Allowed values (comma-separated)</label>
                    <DraftField
                      id={`${idBase}-enum`}
                      value={v.enumValues.join(", ")}
                      aria-invalid={!!enumIssue}
                      onCommit={(t) =>
                        set(i, {
                          enumValues: t
                            .split(",")
                            .map((x) => x.trim())
                            .filter(Boolean),
                        })
                      }
                    />
                    {enumIssue ? <p className="field-error">{enumIssue.message}</p> : null}
                  </div>
                ) : null}
                <div className="field">
                  <label htmlFor={`${idBase}-default`}>Default{v.type === "list" ? " (one per line)" : ""}</label>
                  {v.type === "boolean" ? (
                    <select
                      id={`${idBase}-default`}
                      value={v.default === undefined ? "" : String(v.default)}
                      onChange={(e) =>
                        set(i, { default: e.target.value === "" ? undefined : e.target.value === "true" })
                      }
                    >
                      <option value="">No default</option>
                      <option value="true">true</option>
                      <option value="false">false</option>
                    </select>
                  ) : (
                    <DraftField
                      id={`${idBase}-default`}
                      value={v.default === undefined ? "" : String(toRaw(v.type, v.default))}
                      multiline={v.type === "text" || v.type === "list"}
                      aria-invalid={!!defaultIssue}
                      onCommit={(t) =>
                        set(i, { default: t === "" ? undefined : (parseFormValue(v.type, t) as Variable["default"]) })
                      }
                    />
                  )}
                  {defaultIssue ? <p className="field-error">{defaultIssue.message}</p> : null}
                </div>
                <div className="field">
                  <label htmlFor={`${idBase}-desc`}>Description</label>
                  <DraftField
                    id={`${idBase}-desc`}
                    value={v.description}
                    onCommit={(description) => set(i, { description })}
                  />
                </div>
              </details>
            </li>
          );
        })}
      </ul>
      <form
        className="var-add"
        onSubmit={(e) => {
          e.preventDefault();
          if (!newName || addError) return;
          onChangeVariables([
            ...variables,
            { name: newName, type: "string", required: true, enumValues: [], description: "" },
          ]);
          setNewName("");
        }}
      >
        <label htmlFor="var-new" className="sr-only">
          New variable name
        </label>
        <input
          id="var-new"
          type="text"
          placeholder="new_variable"
          value={newName}
          onChange={(e) => setNewName(e.target.value.trim())}
          aria-invalid={!!addError}
          aria-describedby={addError ? "var-new-err" : undefined}
        />
        <button type="submit" className="btn btn-sm" disabled={!newName || !!addError}>
          Add variable
        </button>
        {addError ? (
          <p id="var-new-err" className="field-error">
            {addError}
          </p>
        ) : null}
      </form>
    </div>
  );
}
