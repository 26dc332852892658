/** Label gates: which suite a label's next version must pass before the label moves there. */
import { Form } from "@remix-run/react";
import { FieldError } from "~/components/ProblemField";
import { issueFor } from "~/components/issue-for";
import type { Problem } from "~/prompt/problem";
import type { TestsData } from "./tests-data";

export function LabelGatesPanel({ data, problem }: { data: TestsData; problem: Problem | undefined }) {
  const { suites, labels, canEdit } = data;
  return (
    <section className="panel card" aria-labelledby="gates-title">
      <h2 id="gates-title">Label gates</h2>
      <p className="muted">
        A gated label moves only to a version that passed its suite (on the label form, the API and change requests).
      </p>
      {labels.length ? (
        <ul className="gate-list">
          {labels.map((l) => (
            <li key={l.name}>
              <Form method="post" className="inline-form">
                <input type="hidden" name="intent" value="gate" />
                <input type="hidden" name="label" value={l.name} />
                <label htmlFor={`gate-${l.name}`}>
                  <strong>{l.name}</strong>
                  {l.protected ? " (protected)" : ""} requires
                </label>
                <select id={`gate-${l.name}`} name="suite" defaultValue={l.gate ?? ""} disabled={!canEdit}>
                  <option value="">no suite</option>
                  {suites.map((s) => (
                    <option key={s.id}>{s.name}</option>
                  ))}
                </select>
                {canEdit ? (
                  <button type="submit" className="btn btn-small">
                    Save gate
                  </button>
                ) : null}
              </Form>
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted">This prompt has no labels yet.</p>
      )}
      <FieldError field="label" error={issueFor(problem, "label")} />
    </section>
  );
}
