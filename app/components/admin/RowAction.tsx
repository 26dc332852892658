import { IntentButton } from "~/components/library/IntentButton";

/** One action on a row: a ghost button, red when it takes something away. */
export function RowAction({
  intent,
  fields,
  label,
  danger,
}: {
  intent: string;
  fields: Record<string, string>;
  label: string;
  danger?: boolean;
}) {
  return (
    <IntentButton
      intent={intent}
      fields={fields}
      className={danger ? "btn btn-ghost btn-danger-text" : "btn btn-ghost"}
      formClassName="inline-form"
    >
      {label}
    </IntentButton>
  );
}
