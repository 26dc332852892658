/** Evaluation runs: start one (suite × version × provider/model) and follow the latest runs. */
import { Form, Link } from "@remix-run/react";
import { FieldError } from "~/components/ProblemField";
import { issueFor } from "~/components/issue-for";
import type { Problem } from "~/prompt/problem";
import type { TestsData } from "./tests-data";
import { when } from "~/components/auth/TokenTable";
import { NoProviders } from "~/components/runs/ProviderModelSelect";
import { formatUsd, RunProgress, RunStatusBadge } from "./RunStatus";

export function EvalRunsPanel({ data, problem }: { data: TestsData; problem: Problem | undefined }) {
  const { prompt, suites, runs, targets, versions, canEdit } = data;
  return (
    <section className="panel card" aria-labelledby="runs-title">
      <h2 id="runs-title">Evaluation runs</h2>
      {canEdit ? (
        targets.length ? (
          <Form method="post" className="inline-form run-form">
            <input type="hidden" name="intent" value="run" />
            <label htmlFor="run-suite">Suite</label>
            <select id="run-suite" name="suite">
              {suites.map((s) => (
                <option key={s.id}>{s.name}</option>
              ))}
            </select>
            <label htmlFor="run-version">Version</label>
            <select id="run-version" name="version" defaultValue={String(prompt.headVersion)}>
              {versions.map((n) => (
                <option key={n} value={n}>
                  {n}
                </option>
              ))}
            </select>
            <label htmlFor="run-target">Model</label>
            <select id="run-target" name="target">
              {targets.map((t) => (
                <option key={t}>{t}</option>
              ))}
            </select>
            <button type="submit" className="btn btn-primary">
              Run suite
            </button>
            <FieldError field="target" error={issueFor(problem, "target")} />
            <FieldError field="suite" error={issueFor(problem, "suite")} />
          </Form>
        ) : (
          <NoProviders />
        )
      ) : null}
      {runs.length ? (
        <div className="table-wrap">
          <table className="runs-table">
            <thead>
              <tr>
                <th scope="col">Run</th>
                <th scope="col">Suite</th>
                <th scope="col">Version</th>
                <th scope="col">Model</th>
                <th scope="col">Status</th>
                <th scope="col">Progress</th>
                <th scope="col">Cost</th>
              </tr>
            </thead>
            <tbody>
              {runs.map((r) => (
                <tr key={r.id}>
                  <td>
                    <Link to={`runs/${r.id}`}>{when(r.createdAt)}</Link>
                  </td>
                  <td>{r.suiteName}</td>
                  <td>{r.versionNumber}</td>
                  <td>{r.model}</td>
                  <td>
                    <RunStatusBadge run={r} />
                  </td>
                  <td>
                    <RunProgress run={r} />
                  </td>
                  <td>{formatUsd(r.costUsd)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p className="muted">No runs yet.</p>
      )}
    </section>
  );
}
