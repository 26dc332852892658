import type { Field, ListItemType, Variable } from "~/prompt/draft";
import { LIST_ITEM_TYPES } from "~/prompt/kinds";
import type { PromptIssue } from "~/prompt/issues";
import { isJsonValued, parseFormValue } from "~/prompt/form-values";
import { DraftField } from "./DraftField";
import { toRaw } from "./raw-value";

const ITEM_LABEL: Record<ListItemType, string> = {
  string: "Texts",
  number: "Numbers",
  boolean: "Yes / no values",
  object: "Objects (fields below)",
};

/** "name: type — description" per line, "?" after the name when optional. */
export function fieldsToText(fields: readonly Field[]): string {
  return fields
    .map((f) => `${f.name}${f.required ? "" : "?"}: ${f.type}${f.description ? ` — ${f.description}` : ""}`)
    .join("\n");
}

export function textToFields(text: string): Field[] {
  const out: Field[] = [];
  for (const line of text.split("\n")) {
    const m = /^\s*([A-Za-z_][A-Za-z0-9_]*)(\?)?\s*(?::\s*(string|number|boolean))?\s*(?:—|--|-)?\s*(.*)$/.exec(line);
    if (!m || !line.trim()) continue;
    out.push({ name: m[1]!, required: !m[2], type: (m[3] as Field["type"]) ?? "string", description: m[4]!.trim() });
  }
  return out;
}

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
      <summary>
        Default, {v.type === "enum" ? "values, " : ""}
        {v.type === "object" || v.type === "list" ? "fields, " : ""}description
      </summary>
      {v.type === "list" ? (
        <div className="field">
          <label htmlFor={`${idBase}-items`}>Items are</label>
          <select
            id={`${idBase}-items`}
            value={v.itemType ?? "string"}
            onChange={(e) => {
              const itemType = e.target.value as ListItemType;
              onPatch({
                itemType,
                default: undefined,
                ...(itemType === "object" && !v.fields?.length
                  ? { fields: [{ name: "name", type: "string" as const, required: true, description: "" }] }
                  : {}),
              });
            }}
          >
            {LIST_ITEM_TYPES.map((t) => (
              <option key={t} value={t}>
                {ITEM_LABEL[t]}
              </option>
            ))}
          </select>
        </div>
      ) : null}
      {v.type === "object" || (v.type === "list" && v.itemType === "object") ? (
        <div className="field">
          <label htmlFor={`${idBase}-fields`}>
            Fields (one per line: <code>name: string|number|boolean — description</code>; <code>name?</code> when
            optional)
          </label>
          <DraftField
            id={`${idBase}-fields`}
            multiline
            value={fieldsToText(v.fields ?? [])}
            aria-invalid={!!enumIssue}
            onCommit={(t) => onPatch({ fields: textToFields(t) })}
          />
          {enumIssue ? <p className="field-error">{enumIssue.message}</p> : null}
        </div>
      ) : null}
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
            value={v.default === undefined ? "" : String(toRaw(v.type, v.default, v.itemType))}
            multiline={v.type === "text" || v.type === "list" || isJsonValued(v.type, v.itemType)}
            aria-invalid={!!defaultIssue}
            onCommit={(t) =>
              onPatch({
                default: t === "" ? undefined : (parseFormValue(v.type, t, v.itemType) as Variable["default"]),
              })
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
