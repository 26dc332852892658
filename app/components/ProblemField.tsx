/**
 * One form field as every form here shows it: the label, the control, an optional hint, and the
 * field's error beside it (an alert, shown when there is one). The control gets the attributes
 * that tie it to them — `aria-invalid`, and `aria-describedby` naming the hint and the error — so
 * a screen reader reads the message with the field.
 */
import type { ReactNode } from "react";

/** What the control spreads onto itself. */
export type FieldAria = { "aria-invalid": boolean; "aria-describedby": string | undefined };

type Props = {
  /** The control's id, which the label points at. */
  id: string;
  label: ReactNode;
  /** The field's name in the problem's issues: the error's id is `<field>-error`. Defaults to `id`. */
  field?: string;
  /** The field's message (issueFor(problem, field)), when it has one. */
  error: string | undefined;
  hint?: ReactNode;
  className?: string;
  children: (aria: FieldAria) => ReactNode;
};

export function ProblemField({ id, label, field = id, error, hint, className, children }: Props) {
  const hintId = hint ? `${field}-hint` : undefined;
  const errorId = error ? `${field}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(" ") || undefined;
  return (
    <div className={className ? `field ${className}` : "field"}>
      <label htmlFor={id}>{label}</label>
      {children({ "aria-invalid": !!error, "aria-describedby": describedBy })}
      {hint ? (
        <span id={hintId} className="field-hint">
          {hint}
        </span>
      ) : null}
      <FieldError field={field} error={error} />
    </div>
  );
}

/**
 * A field's error on its own, for a control laid out without ProblemField (a control inside a
 * table cell, an inline form): the id is the `<field>-error` the control's aria-describedby names.
 */
export function FieldError({ field, error }: { field: string; error: string | undefined }) {
  return error ? (
    <span id={`${field}-error`} className="field-error" role="alert">
      {error}
    </span>
  ) : null;
}
