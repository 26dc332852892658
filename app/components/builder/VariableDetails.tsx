import type { Variable } from "~/prompt/draft";
import type { PromptIssue } from "~/prompt/issues";
import { parseFormValue } from "~/prompt/form-values";
import { DraftField } from "./DraftField";
import { toRaw } from "./raw-value";

/** The folded part of a variable card: allowed values (enum), default and description. */
export function VariableDetails({
  v,
  idBase,
  enumIssue,
  defaultIssue,
  onPatch,
}: {
  v: Variable;
  idBase: string;
  enumIssue: PromptIssue | undefined;
  defaultIssue: PromptIssue | undefined;
  onPatch: (patch: Partial<Variable>) => void;
}) {
  return (
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
              onPatch({
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
            onChange={(e) => onPatch({ default: e.target.value === "" ? undefined : e.target.value === "true" })}
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
              onPatch({ default: t === "" ? undefined : (parseFormValue(v.type, t) as Variable["default"]) })
            }
          />
        )}
        {defaultIssue ? <p className="field-error">{defaultIssue.message}</p> : null}
      </div>
      <div className="field">
        <label htmlFor={`${idBase}-desc`}>Description</label>
        <DraftField id={`${idBase}-desc`} value={v.description} onCommit={(description) => onPatch({ description })} />
      </div>
    </details>
  );
}
