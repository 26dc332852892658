import type { Variable } from "~/prompt/draft";
import type { PromptIssue } from "~/prompt/issues";
import { AddVariableForm } from "./AddVariableForm";
import type { RawValue } from "./raw-value";
import { UndeclaredVariables } from "./UndeclaredVariables";
import type { VariableRename } from "./useVariableRename";
import { VariableCard } from "./VariableCard";

// Re-exported so the hooks that read preview values keep one import for the raw-value shape.
export { toRaw, type RawValue } from "./raw-value";

type Props = {
  variables: Variable[];
  values: Record<string, RawValue>;
  undeclared: string[];
  issues: readonly PromptIssue[];
  onChangeVariables: (vars: Variable[]) => void;
  onChangeValue: (name: string, raw: RawValue | undefined) => void;
  onDeclare: (names: string[]) => void;
  /** Offers to update a renamed variable's uses. */
  rename?: VariableRename;
};

export function VariablesPanel({
  variables,
  values,
  undeclared,
  issues,
  onChangeVariables,
  onChangeValue,
  onDeclare,
  rename,
}: Props) {
  const set = (i: number, patch: Partial<Variable>) =>
    onChangeVariables(variables.map((v, j) => (j === i ? { ...v, ...patch } : v)));

  return (
    <div className="variables-panel">
      {undeclared.length ? <UndeclaredVariables undeclared={undeclared} onDeclare={onDeclare} /> : null}
      {variables.length === 0 && undeclared.length === 0 ? (
        <p className="muted">
          No variables yet. Type <code>{"{{name}}"}</code> in a section and it appears here, or add one below.
        </p>
      ) : null}
      <ul className="var-list">
        {variables.map((v, i) => (
          <VariableCard
            key={i}
            v={v}
            index={i}
            raw={values[v.name]}
            issues={issues}
            onPatch={(patch) => set(i, patch)}
            onRemove={() => onChangeVariables(variables.filter((_, j) => j !== i))}
            onChangeValue={(r) => onChangeValue(v.name, r)}
            rename={rename}
          />
        ))}
      </ul>
      <AddVariableForm variables={variables} onChangeVariables={onChangeVariables} />
    </div>
  );
}
