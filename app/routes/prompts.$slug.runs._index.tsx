/**
 * /prompts/:slug/runs: the prompt's playground runs, newest first, filtered by version, model,
 * status and who, in pages; open one, delete (editors their own, admins any). Above them, run a
 * saved version with the saved test values (or edited ones): the answer streams in and the run
 * joins the list when it ends.
 */
import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { ActionFeedback } from "~/components/library/ActionFeedback";
import { AbsoluteDate } from "~/components/library/AbsoluteDate";
import { RunSavedVersion } from "~/components/runs/RunSavedVersion";
import { fmtMs, fmtUsd } from "~/components/runs/RunOutput";
import { deleteRun, runsPage } from "~/models/runs.server";
import { RUN_STATUSES, type RunView } from "~/prompt/run-history";
import { actorOf, requirePromptPage } from "~/server/auth/guard.server";
import { getDb } from "~/server/db.server";
import { pageAction, pageLoad, parseIntent, readForm } from "~/server/http/problem.server";
import { localRedirect } from "~/server/http/safe-redirect.server";
import builderStyles from "~/styles/builder.css";
import libraryStyles from "~/styles/library.css";
import runsStyles from "~/styles/runs.css";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: libraryStyles },
  { rel: "stylesheet", href: builderStyles },
  { rel: "stylesheet", href: runsStyles },
];
export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `Runs of ${data?.prompt.name ?? "prompt"} · Prompt Builder` },
];

export async function loader({ params, request }: LoaderFunctionArgs) {
  const principal = await requirePromptPage(request, params.slug);
  const url = new URL(request.url);
  return pageLoad(async () => {
    const page = await runsPage(getDb(), params.slug ?? "", Object.fromEntries(url.searchParams));
    const actor = actorOf(principal);
    return { ...page, me: actor.id, role: actor.role, canRun: actor.role !== "viewer" };
  });
}

export async function action({ params, request }: ActionFunctionArgs) {
  const principal = await requirePromptPage(request, params.slug, "editor");
  const form = await readForm(request);
  return pageAction(async () => {
    parseIntent(form, ["delete"] as const);
    const slug = params.slug ?? "";
    await deleteRun(getDb(), slug, String(form.get("id") ?? ""), actorOf(principal, request));
    const back = new URLSearchParams(String(form.get("back") ?? "").slice(0, 2000));
    back.set("deleted", "1");
    return localRedirect(`/prompts/${encodeURIComponent(slug)}/runs?${back.toString()}`);
  });
}

export function RunStatusBadge({ run }: { run: Pick<RunView, "status" | "errorKind"> }) {
  if (run.status === "ok") return <span className="badge badge-success">done</span>;
  if (run.status === "stopped") return <span className="badge">stopped</span>;
  return (
    <span className="badge badge-danger" title={run.errorKind ?? undefined}>
      failed
    </span>
  );
}

export default function Runs() {
  const data = useLoaderData<typeof loader>();
  const { prompt, runs, total, pages, options, filters, me, role, canRun, versionNumbers, use } = data;
  const problem = useActionData<typeof action>()?.problem;
  const [params] = useSearchParams();
  const pageHref = (n: number) => {
    const next = new URLSearchParams(params);
    next.set("page", String(n));
    next.delete("deleted");
    return `?${next.toString()}`;
  };
  const here = params.toString();
  return (
    <div>
      <p className="crumbs">
        <Link to="/">Library</Link> / <Link to={`/prompts/${prompt.slug}`}>{prompt.name}</Link>
      </p>
      <div className="page-header">
        <h1>Runs</h1>
        <div className="actions">
          <Link to={`/prompts/${prompt.slug}/compare-runs`} className="btn">
            Compare runs
          </Link>
          <Link to={`/prompts/${prompt.slug}/history`} className="btn">
            History
          </Link>
        </div>
      </div>
      <ActionFeedback done={params.get("deleted") ? "Run deleted." : null} error={problem ? problem.error : null} />

      {canRun && use ? (
        <RunSavedVersion
          key={use.number}
          slug={prompt.slug}
          versionNumbers={versionNumbers}
          use={use}
          params={params.toString()}
        />
      ) : null}

      <Form method="get" className="library-filters panel card" aria-label="Filter runs">
        {use ? <input type="hidden" name="use" value={use.number} /> : null}
        <div className="field">
          <label htmlFor="f-version">Version</label>
          <select
            id="f-version"
            name="version"
            defaultValue={filters.version === undefined ? "" : String(filters.version)}
          >
            <option value="">any</option>
            <option value="draft">builder draft</option>
            {options.versions.map((n) => (
              <option key={n} value={n}>
                v{n}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="f-model">Model</label>
          <select id="f-model" name="model" defaultValue={filters.model ?? ""}>
            <option value="">any</option>
            {options.models.map((m) => (
              <option key={m}>{m}</option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="f-status">Status</label>
          <select id="f-status" name="status" defaultValue={filters.status ?? ""}>
            <option value="">any</option>
            {RUN_STATUSES.map((s) => (
              <option key={s} value={s}>
                {s === "ok" ? "done" : s}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="f-who">Who</label>
          <select id="f-who" name="who" defaultValue={filters.who ?? ""}>
            <option value="">anyone</option>
            {options.people.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
        </div>
        <div className="filter-actions">
          <button type="submit" className="btn">
            Filter
          </button>
          <Link to={`/prompts/${prompt.slug}/runs`} className="btn btn-ghost">
            Clear
          </Link>
        </div>
      </Form>

      <section className="panel card" aria-labelledby="runs-title">
        <h2 id="runs-title">
          {total === 0 ? "No runs" : total === 1 ? "1 run" : `${total.toLocaleString("en")} runs`}
        </h2>
        {runs.length ? (
          <div className="table-wrap">
            <table className="runs-table">
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">Version</th>
                  <th scope="col">Model</th>
                  <th scope="col">Status</th>
                  <th scope="col">Tokens in / out</th>
                  <th scope="col">Cost</th>
                  <th scope="col">First token / total</th>
                  <th scope="col">Who</th>
                  <th scope="col">
                    <span className="sr-only">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {runs.map((r) => (
                  <tr key={r.id}>
                    <td>
                      <Link to={`/prompts/${prompt.slug}/runs/${r.id}`}>
                        <AbsoluteDate iso={r.createdAt} />
                      </Link>
                    </td>
                    <td>
                      {r.versionNumber === null ? (
                        <span title={`draft ${r.draftHash}`}>draft</span>
                      ) : (
                        `v${r.versionNumber}`
                      )}
                    </td>
                    <td>
                      <span className="muted">{r.providerName} ·</span> {r.model}
                    </td>
                    <td>
                      <RunStatusBadge run={r} />
                    </td>
                    <td className="num">
                      {r.inputTokens ?? "—"} / {r.outputTokens ?? "—"}
                    </td>
                    <td className="num">{r.costUsd === null ? "—" : fmtUsd(r.costUsd)}</td>
                    <td className="num">
                      {fmtMs(r.firstTokenMs)} / {fmtMs(r.totalMs)}
                    </td>
                    <td>{r.userName || "—"}</td>
                    <td>
                      {role === "admin" || (role === "editor" && r.userId === me) ? (
                        <Form method="post" className="inline-form">
                          <input type="hidden" name="intent" value="delete" />
                          <input type="hidden" name="id" value={r.id} />
                          <input type="hidden" name="back" value={here} />
                          <button
                            type="submit"
                            className="btn btn-ghost btn-sm btn-danger-text"
                            aria-label={`Delete run ${r.id}`}
                          >
                            Delete
                          </button>
                        </Form>
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : (
          <p className="muted">
            {total === 0 && !params.toString()
              ? "Runs from the builder's Run tab, this page and comparisons appear here."
              : "No run matches these filters."}
          </p>
        )}
        {pages > 1 ? (
          <nav className="actions" aria-label="Pages">
            {filters.page > 1 ? (
              <Link to={pageHref(filters.page - 1)} className="btn btn-sm">
                ← Newer
              </Link>
            ) : null}
            <span className="muted">{`Page ${filters.page} of ${pages}`}</span>
            {filters.page < pages ? (
              <Link to={pageHref(filters.page + 1)} className="btn btn-sm">
                Older →
              </Link>
            ) : null}
          </nav>
        ) : null}
      </section>
    </div>
  );
}
