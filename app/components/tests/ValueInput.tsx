/** One variable's value in a test case row, with the input its type calls for. */
import type { Variable } from "~/prompt/draft";

export function ValueInput({
  v,
  value,
  formId,
  invalid,
}: {
  v: Variable;
  value: string | boolean | undefined;
  formId: string;
  invalid: boolean;
}) {
  const label = `${v.name} (${v.type})`;
  const common = { form: formId, "aria-label": label, "aria-invalid": invalid || undefined };
  if (v.type === "boolean")
    return (
      <>
        <input type="hidden" name={`b:${v.name}`} value="false" form={formId} />
        <input
          type="checkbox"
          name={`b:${v.name}`}
          value="true"
          defaultChecked={value === true || value === "true"}
          {...common}
        />
      </>
    );
  const text = typeof value === "string" ? value : value === undefined ? "" : String(value);
  if (v.type === "enum")
    return (
      <select name={`v:${v.name}`} defaultValue={text} {...common}>
        <option value="">—</option>
        {v.enumValues.map((e) => (
          <option key={e}>{e}</option>
        ))}
      </select>
    );
  if (v.type === "number")
    return <input name={`v:${v.name}`} defaultValue={text} inputMode="decimal" size={8} {...common} />;
  if (v.type === "string") return <input name={`v:${v.name}`} defaultValue={text} {...common} />;
  return <textarea name={`v:${v.name}`} defaultValue={text} rows={2} {...common} />;
}
