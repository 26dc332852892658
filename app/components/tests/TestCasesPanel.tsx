/** The test cases of a prompt: a table of values checked against its variables, each case's assertions, and the CSV/JSONL import (issue 14). */
import { Form } from "@remix-run/react";
import { FieldError } from "~/components/ProblemField";
import { issueFor } from "~/components/issue-for";
import type { Problem } from "~/prompt/problem";
import type { TestsData } from "./tests-data";
import { AssertionForm } from "./AssertionForm";
import { AssertionList } from "./AssertionList";
import { ValueInput } from "./ValueInput";
import { TEST_CASE_LIMITS } from "~/prompt/assertion-kinds";

export function TestCasesPanel({
  data,
  problem,
  failedCase,
  importIssues,
}: {
  data: TestsData;
  problem: Problem | undefined;
  failedCase: string | null;
  importIssues: Problem["issues"];
}) {
  const { prompt, variables, cases, targets, canEdit } = data;
  return (
    <section className="panel card" aria-labelledby="cases-title">
      <h2 id="cases-title">Test cases</h2>
      <p className="muted">
        Values are checked against the variables of version {prompt.headVersion || "—"}. Each case runs in every suite,
        with its own assertions and the suite&apos;s.
      </p>
      <div className="table-wrap">
        <table className="cases-table">
          <thead>
            <tr>
              <th scope="col">Name</th>
              {variables.map((v) => (
                <th scope="col" key={v.name}>
                  {v.name}
                  {v.required ? <span aria-label="required"> *</span> : null}
                </th>
              ))}
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {cases.map((c) => {
              const formId = `case-${c.id || "first"}`;
              const rowProblem = failedCase === c.id ? problem : undefined;
              const cellError = (name: string) =>
                rowProblem?.issues.find((i) => i.path[0] === "values" && i.path[1] === name)?.message ??
                c.problems[name];
              const nameError = rowProblem?.issues.find((i) => i.path[0] === "name")?.message;
              return (
                <tr key={c.id}>
                  <td>
                    <input
                      name="name"
                      form={formId}
                      defaultValue={c.name}
                      aria-label="Case name"
                      aria-invalid={!!nameError || undefined}
                    />
                    {nameError ? (
                      <span className="field-error" role="alert">
                        {nameError}
                      </span>
                    ) : null}
                  </td>
                  {variables.map((v) => {
                    const err = cellError(v.name);
                    return (
                      <td key={v.name} className={err ? "cell-invalid" : undefined}>
                        <ValueInput v={v} value={c.values[v.name]} formId={formId} invalid={!!err} />
                        {err ? (
                          <span className="field-error" role="alert">
                            {err}
                          </span>
                        ) : null}
                      </td>
                    );
                  })}
                  <td className="row-actions">
                    {canEdit ? (
                      <>
                        <Form method="post" id={formId}>
                          <input type="hidden" name="intent" value="save-case" />
                          <input type="hidden" name="caseId" value={c.id} />
                          <button type="submit" className="btn btn-small">
                            Save
                          </button>
                        </Form>
                        <Form method="post">
                          <input type="hidden" name="intent" value="delete-case" />
                          <input type="hidden" name="caseId" value={c.id} />
                          <button
                            type="submit"
                            className="btn btn-small btn-danger-text"
                            aria-label={`Delete ${c.name}`}
                          >
                            Delete
                          </button>
                        </Form>
                      </>
                    ) : null}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {canEdit ? (
        <Form method="post" className="inline-form">
          <input type="hidden" name="intent" value="add-case" />
          <label htmlFor="new-case">New case</label>
          <input id="new-case" name="name" maxLength={80} aria-describedby="name-error" />
          <button type="submit" className="btn">
            Add case
          </button>
          {failedCase ? null : <FieldError field="name" error={issueFor(problem, "name")} />}
        </Form>
      ) : null}

      <h3>Assertions per case</h3>
      {cases.map((c) => (
        <details key={c.id} className="case-assertions">
          <summary>
            {c.name} · {c.assertions.length} assertion{c.assertions.length === 1 ? "" : "s"}
          </summary>
          <AssertionList list={c.assertions} target={{ caseId: c.id }} canEdit={canEdit} />
          {canEdit ? <AssertionForm target={{ caseId: c.id }} id={`a-${c.id || "first"}`} judges={targets} /> : null}
        </details>
      ))}
      <FieldError field="kind" error={issueFor(problem, "kind")} />
      <FieldError field="schema" error={issueFor(problem, "schema")} />

      {canEdit ? (
        <Form method="post" encType="multipart/form-data" className="inline-form import-form">
          <input type="hidden" name="intent" value="import" />
          <label htmlFor="import-file">Import</label>
          <input id="import-file" type="file" name="file" accept=".csv,.jsonl,text/csv,application/jsonl" />
          <select name="format" aria-label="Format">
            <option value="csv">CSV</option>
            <option value="jsonl">JSONL</option>
          </select>
          <button type="submit" className="btn">
            Import
          </button>
        </Form>
      ) : null}
      {canEdit ? (
        <p className="muted hint">
          CSV: a <code>name</code> column, then one column per variable. JSONL: one{" "}
          <code>{`{"name", "values", "assertions"}`}</code> per line. At most {TEST_CASE_LIMITS.importRows} cases and 1
          MB; a file with any problem changes nothing.
        </p>
      ) : null}
      {importIssues.length ? (
        <div className="alert alert-error" role="alert">
          <p>{problem?.error}</p>
          <ul>
            {importIssues.map((i, n) => (
              <li key={n}>{i.message}</li>
            ))}
          </ul>
        </div>
      ) : null}
    </section>
  );
}
