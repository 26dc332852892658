import { useState } from "react";
import type { Variable } from "~/prompt/draft";

/** The "new variable" field: checks the name against the identifier rule and the declared names. */
export function AddVariableForm({
  variables,
  onChangeVariables,
}: {
  variables: Variable[];
  onChangeVariables: (vars: Variable[]) => void;
}) {
  const [newName, setNewName] = useState("");
  const addError =
    newName && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(newName)
      ? "Use letters, digits and _; start with a letter or _"
      : variables.some((v) => v.name === newName)
        ? "Already declared"
        : "";
  return (
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
  );
}
