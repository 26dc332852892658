/** A case's or a suite's assertions, each with a Remove button for editors. */
import { Form } from "@remix-run/react";
import { describeAssertion } from "~/prompt/assertion-kinds";
import type { Assertion } from "~/prompt/assertions";

export function AssertionList({
  list,
  target,
  canEdit,
}: {
  list: Assertion[];
  target: { caseId: string } | { suiteId: string };
  canEdit: boolean;
}) {
  if (!list.length) return <p className="muted">No assertions.</p>;
  return (
    <ul className="assertion-list">
      {list.map((a, i) => (
        <li key={i}>
          <span>{describeAssertion(a)}</span>
          {canEdit ? (
            <Form method="post" className="inline-form">
              <input type="hidden" name="intent" value="remove-assertion" />
              <input type="hidden" name="index" value={i} />
              {"caseId" in target ? (
                <input type="hidden" name="caseId" value={target.caseId} />
              ) : (
                <input type="hidden" name="suiteId" value={target.suiteId} />
              )}
              <button
                type="submit"
                className="btn btn-small btn-danger-text"
                aria-label={`Remove: ${describeAssertion(a)}`}
              >
                Remove
              </button>
            </Form>
          ) : null}
        </li>
      ))}
    </ul>
  );
}
