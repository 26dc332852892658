/** The suites of a prompt: each runs every case with its own assertions added. */
import { Form } from "@remix-run/react";
import { FieldError } from "~/components/ProblemField";
import { issueFor } from "~/components/issue-for";
import type { Problem } from "~/prompt/problem";
import type { TestsData } from "./tests-data";
import { AssertionForm } from "./AssertionForm";
import { AssertionList } from "./AssertionList";

export function SuitesPanel({ data, problem }: { data: TestsData; problem: Problem | undefined }) {
  const { suites, targets, canEdit } = data;
  return (
    <section className="panel card" aria-labelledby="suites-title">
      <h2 id="suites-title">Suites</h2>
      {suites.map((s) => (
        <div key={s.id} className="suite">
          <h3>
            {s.name}
            {s.gatedLabels.length ? <span className="badge badge-accent">gates {s.gatedLabels.join(", ")}</span> : null}
          </h3>
          <AssertionList list={s.assertions} target={{ suiteId: s.id }} canEdit={canEdit} />
          {canEdit ? (
            <>
              <AssertionForm target={{ suiteId: s.id }} id={`s-${s.id || "default"}`} judges={targets} />
              <Form method="post" className="inline-form">
                <input type="hidden" name="intent" value="delete-suite" />
                <input type="hidden" name="suiteId" value={s.id} />
                <button type="submit" className="btn btn-small btn-danger-text">
                  Delete suite {s.name}
                </button>
              </Form>
            </>
          ) : null}
        </div>
      ))}
      <FieldError field="suiteId" error={issueFor(problem, "suiteId")} />
      {canEdit ? (
        <Form method="post" className="inline-form">
          <input type="hidden" name="intent" value="create-suite" />
          <label htmlFor="suite-name">New suite</label>
          <input
            id="suite-name"
            name="suiteName"
            maxLength={40}
            placeholder="e.g. smoke"
            aria-describedby="suiteName-error"
          />
          <button type="submit" className="btn">
            Create
          </button>
          <FieldError field="suiteName" error={issueFor(problem, "suiteName")} />
        </Form>
      ) : null}
    </section>
  );
}
