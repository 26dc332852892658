import { useRef } from "react";
import type { Variable, VariableType } from "~/prompt/draft";
import { VARIABLE_TYPES } from "~/prompt/kinds";
import type { PromptIssue } from "~/prompt/issues";
import { DraftField } from "./DraftField";
import { Icon } from "./Icon";
import type { RawValue } from "./raw-value";
import { RenameUsesOffer } from "./RenameUsesOffer";
import type { VariableRename } from "./useVariableRename";
import { VariableDetails } from "./VariableDetails";
import { VariableValueInput } from "./VariableValueInput";

const TYPE_LABEL: Record<VariableType, string> = {
  string: "Text (one line)",
  text: "Long text",
  number: "Number",
  boolean: "Yes / no",
  enum: "One of…",
  list: "List",
  object: "Object (fields)",
  messages: "Conversation (messages)",
};

/** One declared variable: name, type, required, remove; its preview value; and its folded details. */
export function VariableCard({
  v,
  index: i,
  raw,
  issues,
  onPatch,
  onRemove,
  onChangeValue,
  rename,
}: {
  rename?: VariableRename;
  v: Variable;
  index: number;
  raw: RawValue | undefined;
  issues: readonly PromptIssue[];
  onPatch: (patch: Partial<Variable>) => void;
  onRemove: () => void;
  onChangeValue: (raw: RawValue | undefined) => void;
}) {
  const issueFor = (path: Array<string | number>) =>
    issues.find((x) => x.path.length === path.length && x.path.every((p, k) => p === path[k]));
  const idBase = `var-${i}`;
  const nameAtFocus = useRef<string | null>(null);
  const nameIssue = issueFor(["variables", i, "name"]);
  const defaultIssue = issueFor(["variables", i, "default"]);
  const enumIssue = issueFor(["variables", i, "enumValues"]) ?? issueFor(["variables", i, "fields"]);
  const valueIssue = issues.find((x) => x.path[0] === "values" && x.path[1] === v.name && x.severity === "error");
  return (
    <li className={`var-card${nameIssue?.code === "unused" ? " is-unused" : ""}`}>
      <div className="var-row">
        <div
          className="var-name"
          // The name as it was when the field was entered: leaving it with another name may offer
          // to update the uses (each keystroke renames the declaration only).
          onFocus={() => (nameAtFocus.current = v.name)}
          onBlur={() => {
            const from = nameAtFocus.current;
            nameAtFocus.current = null;
            if (from !== null && from !== v.name) rename?.onNameEdited(from, v.name);
          }}
        >
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
            onCommit={(name) => onPatch({ name: name.trim() })}
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
            onPatch({
              type,
              default: undefined,
              enumValues: type === "enum" && v.enumValues.length === 0 ? ["option_a", "option_b"] : v.enumValues,
              ...(type === "object" && !v.fields?.length
                ? { fields: [{ name: "name", type: "string" as const, required: true, description: "" }] }
                : {}),
            });
          }}
        >
          {VARIABLE_TYPES.map((t) => (
            <option key={t} value={t}>
              {TYPE_LABEL[t]}
            </option>
          ))}
        </select>
        <label className="check" title="A required variable must have a value (or a default) before the prompt renders">
          <input type="checkbox" checked={v.required} onChange={(e) => onPatch({ required: e.target.checked })} />
          <span>Required</span>
        </label>
        <button
          type="button"
          className="icon-btn icon-danger"
          aria-label={`Remove variable ${v.name}`}
          title="Remove variable"
          onClick={onRemove}
        >
          <Icon name="x" size={14} />
        </button>
      </div>
      {nameIssue ? (
        <p className={nameIssue.severity === "error" ? "field-error" : "field-warning"}>{nameIssue.message}</p>
      ) : null}
      {rename?.offer && rename.offer.to === v.name ? (
        <RenameUsesOffer offer={rename.offer} onApply={rename.apply} onDismiss={rename.dismiss} />
      ) : null}
      <VariableValueInput v={v} raw={raw} idBase={idBase} error={valueIssue?.message} onChange={onChangeValue} />
      <VariableDetails v={v} idBase={idBase} enumIssue={enumIssue} defaultIssue={defaultIssue} onPatch={onPatch} />
    </li>
  );
}
