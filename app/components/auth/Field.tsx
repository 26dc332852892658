/** A labelled input with its hint and error, for the account forms. */
import type { InputHTMLAttributes } from "react";

export function Field({
  name,
  label,
  error,
  hint,
  ...input
}: { name: string; label: string; error?: string; hint?: string } & InputHTMLAttributes<HTMLInputElement>) {
  const describedBy = [hint ? `${name}-hint` : "", `${name}-error`].filter(Boolean).join(" ");
  return (
    <div className="field">
      <label htmlFor={name}>{label}</label>
      <input id={name} name={name} type="text" aria-invalid={!!error} aria-describedby={describedBy} {...input} />
      {hint ? (
        <span id={`${name}-hint`} className="field-hint">
          {hint}
        </span>
      ) : null}
      <span id={`${name}-error`} className="field-error">
        {error}
      </span>
    </div>
  );
}
