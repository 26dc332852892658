/**
 * One evaluation run (issue 14): progress while it runs in the background (the page reloads its
 * data every second, so it survives a reload), then the result per case and per assertion with
 * output, cost and latency, the totals, and a comparison with another run (`?with=`).
 */
import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { formatUsd, isActive, RunProgress, RunStatusBadge, usePollWhile } from "~/components/tests/RunStatus";
import { cancelEvalRun, compareEvalRuns, evalRunDetail, listEvalRuns } from "~/models/evals.server";
import { requirePrompt } from "~/models/history.server";
import { actorOf, requirePromptPage } from "~/server/auth/guard.server";
import { roleAtLeast } from "~/server/auth/roles";
import { getDb } from "~/server/db.server";
import { pageAction, pageLoad, parseIntent, readForm } from "~/server/http/problem.server";
import { localRedirect } from "~/server/http/safe-redirect.server";
import libraryStyles from "~/styles/library.css";
import testsStyles from "~/styles/tests.css";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: libraryStyles },
  { rel: "stylesheet", href: testsStyles },
];
export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `Run of ${data?.run.suiteName ?? "suite"} · ${data?.prompt.name ?? "prompt"} · Prompt Builder` },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const principal = await requirePromptPage(request, params.slug);
  const db = getDb();
  return pageLoad(async () => {
    const prompt = await requirePrompt(db, params.slug ?? "");
    const detail = await evalRunDetail(db, prompt.id, params.id ?? "");
    const other = new URL(request.url).searchParams.get("with");
    const comparison = other ? await compareEvalRuns(db, prompt.id, other, detail.run.id) : null;
    const runs = (await listEvalRuns(db, prompt.id, 50)).filter((r) => r.id !== detail.run.id);
    return {
      prompt: { slug: prompt.slug, name: prompt.name },
      ...detail,
      comparison,
      others: runs.map((r) => ({
        id: r.id,
        label: `${r.suiteName} · v${r.versionNumber} · ${r.model} · ${r.status} · ${r.createdAt.slice(0, 16).replace("T", " ")}`,
      })),
      canEdit: roleAtLeast(principal.role, "editor"),
    };
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const principal = await requirePromptPage(request, params.slug, "editor");
  const form = await readForm(request);
  const db = getDb();
  return pageAction(async () => {
    parseIntent(form, ["cancel"] as const);
    const prompt = await requirePrompt(db, params.slug ?? "");
    await cancelEvalRun(db, prompt.id, params.id ?? "", actorOf(principal, request));
    return localRedirect(`/prompts/${prompt.slug}/tests/runs/${params.id ?? ""}`);
  });
}

const verdict = (p: boolean | null) => (p === null ? "—" : p ? "pass" : "fail");

export default function RunPage() {
  const { prompt, run, cases, comparison, others, canEdit } = useLoaderData<typeof loader>();
  usePollWhile(isActive(run));
  return (
    <div className="tests-page">
      <p className="crumbs">
        <Link to="/">Library</Link> / <Link to={`/prompts/${prompt.slug}`}>{prompt.name}</Link> /{" "}
        <Link to={`/prompts/${prompt.slug}/tests`}>Tests</Link>
      </p>
      <div className="page-header">
        <h1>
          Suite {run.suiteName} on version {run.versionNumber}
        </h1>
        <RunStatusBadge run={run} />
      </div>
      <section className="panel card" aria-labelledby="totals-title">
        <h2 id="totals-title">Totals</h2>
        <p>
          {run.provider} · {run.model}
        </p>
        <RunProgress run={run} />
        <dl className="totals">
          <dt>Passed</dt>
          <dd data-testid="passed">{run.passed}</dd>
          <dt>Failed</dt>
          <dd data-testid="failed">{run.failed}</dd>
          <dt>Cost</dt>
          <dd>{formatUsd(run.costUsd)}</dd>
          <dt>Average latency</dt>
          <dd>{run.averageLatencyMs === null ? "—" : `${run.averageLatencyMs} ms`}</dd>
        </dl>
        {canEdit && isActive(run) ? (
          <Form method="post">
            <input type="hidden" name="intent" value="cancel" />
            <button type="submit" className="btn btn-danger-text">
              Cancel run
            </button>
          </Form>
        ) : null}
      </section>

      <section className="panel card" aria-labelledby="results-title">
        <h2 id="results-title">Results</h2>
        <div className="table-wrap">
          <table className="results-table">
            <thead>
              <tr>
                <th scope="col">Case</th>
                <th scope="col">Result</th>
                <th scope="col">Assertions</th>
                <th scope="col">Output</th>
                <th scope="col">Cost</th>
                <th scope="col">Latency</th>
              </tr>
            </thead>
            <tbody>
              {cases.map((c) => (
                <tr key={c.id} data-case={c.name}>
                  <th scope="row">{c.name}</th>
                  <td>
                    {c.status === "done" ? (
                      <span className={c.passed ? "badge badge-success" : "badge badge-danger"}>
                        {verdict(c.passed)}
                      </span>
                    ) : (
                      <span className="badge">{c.status}</span>
                    )}
                  </td>
                  <td>
                    {c.error ? <p className="field-error">{c.error}</p> : null}
                    <ul className="assertion-results">
                      {c.results.map((r, i) => (
                        <li key={i} className={r.passed ? "ok" : "bad"}>
                          <span aria-label={r.passed ? "passed" : "failed"}>{r.passed ? "✓" : "✗"}</span>{" "}
                          {r.description}
                          {r.detail ? <span className="muted"> — {r.detail}</span> : null}
                          {r.reasoning ? <q className="reasoning">{r.reasoning}</q> : null}
                        </li>
                      ))}
                    </ul>
                  </td>
                  <td>
                    <pre className="output">{c.output}</pre>
                  </td>
                  <td>{formatUsd(c.costUsd)}</td>
                  <td>{c.latencyMs === null ? "—" : `${c.latencyMs} ms`}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      <section className="panel card" aria-labelledby="compare-title">
        <h2 id="compare-title">Compare with another run</h2>
        {others.length ? (
          <Form method="get" className="inline-form">
            <label htmlFor="compare-with">Earlier run</label>
            <select id="compare-with" name="with" defaultValue={comparison?.before.id}>
              {others.map((o) => (
                <option key={o.id} value={o.id}>
                  {o.label}
                </option>
              ))}
            </select>
            <button type="submit" className="btn">
              Compare
            </button>
          </Form>
        ) : (
          <p className="muted">There is no other run of this prompt to compare with yet.</p>
        )}
        {comparison ? (
          <div className="comparison">
            <p>
              From version {comparison.before.versionNumber} ({comparison.before.model}): {comparison.broke.length} case
              {comparison.broke.length === 1 ? "" : "s"} went from pass to fail, {comparison.fixed.length} from fail to
              pass.
            </p>
            <table>
              <thead>
                <tr>
                  <th scope="col">Case</th>
                  <th scope="col">Before</th>
                  <th scope="col">Now</th>
                </tr>
              </thead>
              <tbody>
                {comparison.rows.map((r) => (
                  <tr
                    key={r.name}
                    className={
                      r.before === true && r.after === false
                        ? "broke"
                        : r.before === false && r.after === true
                          ? "fixed"
                          : undefined
                    }
                  >
                    <th scope="row">{r.name}</th>
                    <td>{verdict(r.before)}</td>
                    <td>{verdict(r.after)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
      </section>
    </div>
  );
}
