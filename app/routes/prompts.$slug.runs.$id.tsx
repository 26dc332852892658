/** /prompts/:slug/runs/:id: one recorded run — what was sent, what came back, what it cost. */
import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { AbsoluteDate } from "~/components/library/AbsoluteDate";
import { ActionFeedback } from "~/components/library/ActionFeedback";
import { fmtMs, fmtUsd, prettyJson } from "~/components/runs/RunOutput";
import { deleteRun, getRun } from "~/models/runs.server";
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
  { title: `Run of ${data?.run.prompt.name ?? "prompt"} · Prompt Builder` },
];

export async function loader({ params, request }: LoaderFunctionArgs) {
  const principal = await requirePromptPage(request, params.slug);
  const run = await pageLoad(() => getRun(getDb(), params.slug ?? "", params.id ?? ""));
  const actor = actorOf(principal);
  return { run, canDelete: actor.role === "admin" || (actor.role === "editor" && run.userId === actor.id) };
}

export async function action({ params, request }: ActionFunctionArgs) {
  const principal = await requirePromptPage(request, params.slug, "editor");
  const form = await readForm(request);
  return pageAction(async () => {
    parseIntent(form, ["delete"] as const);
    await deleteRun(getDb(), params.slug ?? "", params.id ?? "", actorOf(principal, request));
    return localRedirect(`/prompts/${encodeURIComponent(params.slug ?? "")}/runs?deleted=1`);
  });
}

export default function RunDetail() {
  const { run, canDelete } = useLoaderData<typeof loader>();
  const problem = useActionData<typeof action>()?.problem;
  const slug = run.prompt.slug;
  const json = prettyJson(run.output);
  return (
    <div className="run-detail">
      <p className="crumbs">
        <Link to="/">Library</Link> / <Link to={`/prompts/${slug}`}>{run.prompt.name}</Link> /{" "}
        <Link to={`/prompts/${slug}/runs`}>Runs</Link>
      </p>
      <div className="page-header">
        <h1>Run of {run.versionNumber === null ? `a draft (${run.draftHash})` : `version ${run.versionNumber}`}</h1>
        <div className="actions">
          {run.versionNumber !== null ? (
            <Link to={`/prompts/${slug}/runs?use=${run.versionNumber}`} className="btn">
              Run v{run.versionNumber} again
            </Link>
          ) : null}
          {canDelete ? (
            <Form method="post">
              <input type="hidden" name="intent" value="delete" />
              <button type="submit" className="btn btn-danger">
                Delete
              </button>
            </Form>
          ) : null}
        </div>
      </div>
      <ActionFeedback error={problem ? problem.error : null} />
      <section className="panel card" aria-labelledby="run-facts">
        <h2 id="run-facts">
          {run.providerName} · {run.model}{" "}
          {run.status === "ok" ? (
            <span className="badge badge-success">done</span>
          ) : run.status === "stopped" ? (
            <span className="badge">stopped</span>
          ) : (
            <span className="badge badge-danger">failed</span>
          )}
        </h2>
        <dl className="run-stats">
          <dt>When</dt>
          <dd>
            <AbsoluteDate iso={run.createdAt} />
          </dd>
          <dt>Who</dt>
          <dd>{run.userName || "—"}</dd>
          <dt>Input tokens</dt>
          <dd>{run.inputTokens?.toLocaleString("en") ?? "—"}</dd>
          <dt>Output tokens</dt>
          <dd>{run.outputTokens?.toLocaleString("en") ?? "—"}</dd>
          <dt>Cost</dt>
          <dd>{run.costUsd === null ? "—" : fmtUsd(run.costUsd)}</dd>
          <dt>First token</dt>
          <dd>{fmtMs(run.firstTokenMs)}</dd>
          <dt>Total</dt>
          <dd>{fmtMs(run.totalMs)}</dd>
          <dt>Finish reason</dt>
          <dd>{run.finishReason ?? "—"}</dd>
        </dl>
        {run.errorMessage ? (
          <div className="callout callout-error" role="alert">
            <p>{run.errorMessage}</p>
          </div>
        ) : null}
      </section>
      <section className="panel card" aria-labelledby="run-output-title">
        <h2 id="run-output-title">Output {json ? <span className="badge">JSON</span> : null}</h2>
        {run.outputTruncated ? <p className="muted">Only the first 256 kB of the output were kept.</p> : null}
        <div className="run-output" id="run-output">
          <pre>{json ?? (run.output || "(no text)")}</pre>
          {run.toolCalls.map((c) => (
            <div key={c.id} className="run-tool-call">
              <p className="badge">Tool call: {c.name}</p>
              <pre>{prettyJson(c.arguments) ?? c.arguments}</pre>
            </div>
          ))}
        </div>
      </section>
      <section className="panel card" aria-labelledby="run-input-title">
        <h2 id="run-input-title">Values and settings</h2>
        <pre>{JSON.stringify(run.values, null, 2)}</pre>
        <pre>{JSON.stringify(run.settings, null, 2)}</pre>
      </section>
    </div>
  );
}
