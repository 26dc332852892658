/** A labelled input with its hint and error, for the account forms. */
import type { InputHTMLAttributes } from "react";
import { ProblemField } from "../ProblemField";

export function Field({
  name,
  label,
  error,
  hint,
  ...input
}: { name: string; label: string; error?: string; hint?: string } & InputHTMLAttributes<HTMLInputElement>) {
  return (
    <ProblemField id={name} label={label} error={error} hint={hint}>
      {(aria) => <input id={name} name={name} type="text" {...aria} {...input} />}
    </ProblemField>
  );
}
