import { issueFor } from "~/components/issue-for";
import type { Problem } from "~/prompt/problem";

/** The problem's message for `field`, as an alert with the id the field's aria-describedby names. */
export function FieldMessage({ problem, field }: { problem: Problem | undefined; field: string }) {
  const m = issueFor(problem, field);
  return m ? (
    <span className="field-error" id={`${field}-error`} role="alert">
      {m}
    </span>
  ) : null;
}
