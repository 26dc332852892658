/**
 * A prompt's tests (issue 14): test cases in a table (values checked against the newest version's
 * variables, errors beside the cell), their assertions and the suites', CSV/JSONL import and
 * export, evaluation runs started in the background with their progress, and label gates.
 */
import {
  data,
  type ActionFunctionArgs,
  type LinksFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { ActionFeedback } from "~/components/library/ActionFeedback";
import { FieldError } from "~/components/ProblemField";
import { issueFor } from "~/components/issue-for";
import { AssertionForm } from "~/components/tests/AssertionForm";
import { formatUsd, isActive, RunProgress, RunStatusBadge, usePollWhile } from "~/components/tests/RunStatus";
import { cancelEvalRun, listEvalRuns, startEvalRun } from "~/models/evals.server";
import { requirePrompt } from "~/models/history.server";
import { availableProviders } from "~/models/providers.server";
import {
  addAssertion,
  addCase,
  createSuite,
  deleteCase,
  deleteSuite,
  importCases,
  parseAssertionForm,
  removeAssertion,
  saveCase,
  setLabelGate,
  testsOverview,
} from "~/models/test-cases.server";
import { describeAssertion } from "~/prompt/assertion-kinds";
import type { Assertion } from "~/prompt/assertions";
import type { Variable } from "~/prompt/draft";
import { InvalidError } from "~/prompt/errors";
import { TEST_CASE_LIMITS } from "~/prompt/assertion-kinds";
import { actorOf, requirePromptPage } from "~/server/auth/guard.server";
import { roleAtLeast } from "~/server/auth/roles";
import { getDb } from "~/server/db.server";
import { getEnv } from "~/server/env.server";
import { pageAction, pageLoad, parseIntent, readForm } from "~/server/http/problem.server";
import { localRedirect } from "~/server/http/safe-redirect.server";
import { providerModels } from "~/server/providers/providers.server";
import libraryStyles from "~/styles/library.css";
import testsStyles from "~/styles/tests.css";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: libraryStyles },
  { rel: "stylesheet", href: testsStyles },
];
export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `Tests of ${data?.prompt.name ?? "prompt"} · Prompt Builder` },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const principal = await requirePromptPage(request, params.slug);
  const db = getDb();
  const prompt = await pageLoad(() => requirePrompt(db, params.slug ?? ""));
  const [overview, runs, providers, versions] = await Promise.all([
    testsOverview(db, prompt.id),
    listEvalRuns(db, prompt.id),
    availableProviders(db, getEnv()),
    db.promptVersion.findMany({
      where: { promptId: prompt.id },
      orderBy: { number: "desc" },
      take: 50,
      select: { number: true },
    }),
  ]);
  const targets = (
    await Promise.all(providers.map(async (p) => (await providerModels(p)).map((m) => `${p.id}:${m}`)))
  ).flat();
  return {
    prompt: { slug: prompt.slug, name: prompt.name, headVersion: prompt.headVersion },
    ...overview,
    runs,
    targets,
    versions: versions.map((v) => v.number),
    canEdit: roleAtLeast(principal.role, "editor"),
  };
}

const DONE: Record<string, string> = {
  case: "Test case saved.",
  deleted: "Test case deleted.",
  assertion: "Assertions saved.",
  suite: "Suites saved.",
  gate: "Gate saved.",
  cancelled: "Run cancelled.",
};

export async function action({ request, params }: ActionFunctionArgs) {
  const principal = await requirePromptPage(request, params.slug, "editor");
  const actor = actorOf(principal, request);
  const form = await readForm(request);
  const db = getDb();
  const env = getEnv();
  const str = (name: string) => {
    const v = form.get(name);
    return typeof v === "string" ? v : null;
  };
  return pageAction(async () => {
    const intent = parseIntent(form, [
      "add-case",
      "save-case",
      "delete-case",
      "add-assertion",
      "remove-assertion",
      "create-suite",
      "delete-suite",
      "import",
      "run",
      "cancel-run",
      "gate",
    ] as const);
    const prompt = await requirePrompt(db, params.slug ?? "");
    const here = `/prompts/${prompt.slug}/tests`;
    const caseId = str("caseId") ?? "";
    const suiteId = str("suiteId") ?? "";
    // An empty id names the first case or the default suite, shown before they are stored.
    const target = form.has("caseId") ? { caseId } : { suiteId };
    switch (intent) {
      case "add-case":
        await addCase(db, prompt.id, str("name"), actor);
        return localRedirect(`${here}?done=case`);
      case "save-case": {
        const values: Record<string, string | boolean> = {};
        for (const [k, v] of form) {
          if (k.startsWith("v:") && typeof v === "string") values[k.slice(2)] = v;
          if (k.startsWith("b:")) values[k.slice(2)] = form.getAll(k).includes("true");
        }
        try {
          await saveCase(db, prompt.id, caseId, { name: str("name"), values }, actor);
        } catch (err) {
          // The cell errors belong to this row: say which.
          if (err instanceof InvalidError)
            return data({ problem: { status: 422, error: err.message, issues: err.issues }, caseId }, { status: 422 });
          throw err;
        }
        return localRedirect(`${here}?done=case`);
      }
      case "delete-case":
        await deleteCase(db, prompt.id, caseId, actor);
        return localRedirect(`${here}?done=deleted`);
      case "add-assertion":
        await addAssertion(db, prompt.id, target, parseAssertionForm(str), actor);
        return localRedirect(`${here}?done=assertion`);
      case "remove-assertion":
        await removeAssertion(db, prompt.id, target, Number(str("index")), actor);
        return localRedirect(`${here}?done=assertion`);
      case "create-suite":
        await createSuite(db, prompt.id, str("suiteName"), actor);
        return localRedirect(`${here}?done=suite`);
      case "delete-suite":
        await deleteSuite(db, prompt.id, suiteId, actor);
        return localRedirect(`${here}?done=suite`);
      case "import": {
        const file = form.get("file");
        const format = str("format") === "jsonl" ? "jsonl" : "csv";
        if (!(file instanceof File) || file.size === 0) throw InvalidError.field("file", "Choose a file to import.");
        if (file.size > TEST_CASE_LIMITS.importBytes)
          throw InvalidError.field("file", `The file is larger than ${TEST_CASE_LIMITS.importBytes / 1_000_000} MB.`);
        const result = await importCases(db, prompt.id, format, await file.text(), actor);
        return localRedirect(`${here}?done=imported&added=${result.added}&updated=${result.updated}`);
      }
      case "run": {
        const [provider = "", ...model] = (str("target") ?? "").split(":");
        const version = Number(str("version"));
        const run = await startEvalRun(db, env, {
          promptId: prompt.id,
          suiteName: str("suite") ?? "",
          version: Number.isInteger(version) ? version : 0,
          provider,
          model: model.join(":"),
          actor,
        });
        return localRedirect(`${here}/runs/${run.id}`);
      }
      case "cancel-run":
        await cancelEvalRun(db, prompt.id, str("runId") ?? "", actor);
        return localRedirect(`${here}?done=cancelled`);
      case "gate": {
        const suite = str("suite") ?? "";
        await setLabelGate(db, {
          promptId: prompt.id,
          labelName: str("label") ?? "",
          suiteName: suite === "" ? null : suite,
          actor,
          authEnabled: env.ENABLE_AUTH,
        });
        return localRedirect(`${here}?done=gate`);
      }
    }
  });
}

type Problem = { status: number; error: string; issues: Array<{ path: Array<string | number>; message: string }> };

function ValueInput({
  v,
  value,
  formId,
  invalid,
}: {
  v: Variable;
  value: string | boolean | undefined;
  formId: string;
  invalid: boolean;
}) {
  const label = `${v.name} (${v.type})`;
  const common = { form: formId, "aria-label": label, "aria-invalid": invalid || undefined };
  if (v.type === "boolean")
    return (
      <>
        <input type="hidden" name={`b:${v.name}`} value="false" form={formId} />
        <input
          type="checkbox"
          name={`b:${v.name}`}
          value="true"
          defaultChecked={value === true || value === "true"}
          {...common}
        />
      </>
    );
  const text = typeof value === "string" ? value : value === undefined ? "" : String(value);
  if (v.type === "enum")
    return (
      <select name={`v:${v.name}`} defaultValue={text} {...common}>
        <option value="">—</option>
        {v.enumValues.map((e) => (
          <option key={e}>{e}</option>
        ))}
      </select>
    );
  if (v.type === "number")
    return <input name={`v:${v.name}`} defaultValue={text} inputMode="decimal" size={8} {...common} />;
  if (v.type === "string") return <input name={`v:${v.name}`} defaultValue={text} {...common} />;
  return <textarea name={`v:${v.name}`} defaultValue={text} rows={2} {...common} />;
}

function AssertionList({
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

export default function TestsPage() {
  const { prompt, variables, cases, suites, labels, runs, targets, versions, canEdit } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const problem: Problem | undefined = result && "problem" in result ? (result.problem as Problem) : undefined;
  const failedCase = result && "caseId" in result ? result.caseId : null;
  const [params] = useSearchParams();
  const done =
    params.get("done") === "imported"
      ? `Imported: ${params.get("added") ?? 0} new, ${params.get("updated") ?? 0} updated.`
      : DONE[params.get("done") ?? ""];
  usePollWhile(runs.some(isActive));
  const importIssues = problem?.issues.filter((i) => i.path[0] === "file") ?? [];
  return (
    <div className="tests-page">
      <p className="crumbs">
        <Link to="/">Library</Link> / <Link to={`/prompts/${prompt.slug}`}>{prompt.name}</Link>
      </p>
      <div className="page-header">
        <h1>Tests</h1>
        <div className="actions">
          <a className="btn" href={`/prompts/${prompt.slug}/tests/export?format=csv`} download>
            Export CSV
          </a>
          <a className="btn" href={`/prompts/${prompt.slug}/tests/export?format=jsonl`} download>
            Export JSONL
          </a>
        </div>
      </div>
      <ActionFeedback done={done} error={problem && !importIssues.length ? problem.error : undefined} />

      <section className="panel card" aria-labelledby="cases-title">
        <h2 id="cases-title">Test cases</h2>
        <p className="muted">
          Values are checked against the variables of version {prompt.headVersion || "—"}. Each case runs in every
          suite, with its own assertions and the suite&apos;s.
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
            <code>{`{"name", "values", "assertions"}`}</code> per line. At most {TEST_CASE_LIMITS.importRows} cases and
            1 MB; a file with any problem changes nothing.
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

      <section className="panel card" aria-labelledby="suites-title">
        <h2 id="suites-title">Suites</h2>
        {suites.map((s) => (
          <div key={s.id} className="suite">
            <h3>
              {s.name}
              {s.gatedLabels.length ? (
                <span className="badge badge-accent">gates {s.gatedLabels.join(", ")}</span>
              ) : null}
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
            <p className="muted">No model provider is configured on this server (OPENAI_API_KEY, ANTHROPIC_API_KEY).</p>
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
                      <Link to={`runs/${r.id}`}>
                        {new Date(r.createdAt).toISOString().slice(0, 16).replace("T", " ")}
                      </Link>
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
    </div>
  );
}
