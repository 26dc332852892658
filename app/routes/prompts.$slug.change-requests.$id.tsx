/**
 * One change request of a protected label: what it proposes (label, from → to, who, why), the
 * rendered diff of the proposed version against the label's current target (the compare view's
 * diff, rendered with the prompt's saved test values), and — for an admin or approver who did not
 * propose it — approve and reject with a comment; the proposer may withdraw it.
 */
import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { when } from "~/components/auth/TokenTable";
import { DiffText } from "~/components/history/DiffText";
import { DiffSummary, SchemaDiffs, SectionDiffs } from "~/components/history/DraftDiffView";
import { ActionFeedback } from "~/components/library/ActionFeedback";
import { issueFor } from "~/components/issue-for";
import { ProblemField } from "~/components/ProblemField";
import { comparePrompts } from "~/models/compare.server";
import { requirePrompt } from "~/models/history.server";
import { decideChangeRequest, getChangeRequest, mayDecide } from "~/models/label-change-requests.server";
import { defaultTestValues } from "~/models/test-values.server";
import { TARGET_INFO } from "~/prompt/targets";
import { actorOf, requirePromptPage } from "~/server/auth/guard.server";
import { getDb } from "~/server/db.server";
import { getEnv } from "~/server/env.server";
import { pageAction, pageLoad, parseIntent, readForm } from "~/server/http/problem.server";
import { localRedirect } from "~/server/http/safe-redirect.server";
import libraryStyles from "~/styles/library.css";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: libraryStyles }];
export const meta: MetaFunction<typeof loader> = ({ data }) => [
  {
    title: data
      ? `${data.request.labelName} → v${data.request.toNumber} · ${data.prompt.name} · Prompt Builder`
      : "Change request · Prompt Builder",
  },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const principal = await requirePromptPage(request, params.slug);
  const db = getDb();
  const actor = actorOf(principal, request);
  return pageLoad(async () => {
    const prompt = await requirePrompt(db, params.slug ?? "");
    const { request: cr, label } = await getChangeRequest(db, prompt.id, params.id ?? "");
    // An open request: against where the label points now (what approving would replace); a
    // decided one: against where it pointed when proposed (what was decided on).
    const base = (cr.status === "open" ? label?.number : cr.fromNumber) ?? cr.fromNumber ?? cr.toNumber;
    const raw = await defaultTestValues(db, prompt.id);
    const values = Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, String(v)]));
    const c = await comparePrompts(db, prompt.slug, base, cr.toNumber, { values, target: "plain" });
    const own = cr.proposedById !== null && cr.proposedById === actor.id;
    const decider = await mayDecide(db, actor);
    return {
      prompt: { slug: prompt.slug, name: prompt.name },
      request: { ...cr, proposedById: undefined },
      current: label?.number ?? null,
      stale: cr.status === "open" && label?.number !== cr.fromNumber,
      a: c.a,
      b: c.b,
      diff: c.diff,
      target: c.target,
      rendered: c.rendered,
      canDecide: cr.status === "open" && decider && !own,
      canWithdraw: cr.status === "open" && own,
      ownNote: cr.status === "open" && own && decider,
    };
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const principal = await requirePromptPage(request, params.slug, "editor");
  const form = await readForm(request);
  const db = getDb();
  return pageAction(async () => {
    const decision = parseIntent(form, ["approve", "reject", "withdraw"] as const);
    const prompt = await requirePrompt(db, params.slug ?? "");
    // The request must belong to this prompt (its page is the only place to decide it).
    await getChangeRequest(db, prompt.id, params.id ?? "");
    const result = await decideChangeRequest(db, {
      id: params.id ?? "",
      decision,
      comment: form.get("comment") ?? "",
      actor: actorOf(principal, request),
      authEnabled: getEnv().ENABLE_AUTH,
    });
    return localRedirect(`/prompts/${prompt.slug}/change-requests/${params.id}?done=${result.status}`);
  });
}

const DONE: Record<string, string> = {
  proposed: "Change request opened: an admin or approver will approve or reject it.",
  approved: "Approved: the label moved.",
  rejected: "Rejected.",
  withdrawn: "Withdrawn.",
};

export default function ChangeRequestPage() {
  const { prompt, request, current, stale, a, b, diff, target, rendered, canDecide, canWithdraw, ownNote } =
    useLoaderData<typeof loader>();
  const problem = useActionData<typeof action>()?.problem;
  const [params] = useSearchParams();
  const la = `v${a.number}`;
  const lb = `v${b.number}`;
  return (
    <div>
      <p className="crumbs">
        <a href="/">Library</a> / <Link to={`/prompts/${prompt.slug}`}>{prompt.name}</Link> / Change request
      </p>
      <div className="page-header">
        <h1>
          Move <code>{request.labelName}</code> to v{request.toNumber}
        </h1>
      </div>
      <ActionFeedback done={DONE[params.get("done") ?? ""]} error={problem?.error} />
      <section className="panel card" aria-labelledby="request-title">
        <h2 id="request-title">Request</h2>
        <dl className="facts">
          <dt>Status</dt>
          <dd>
            <strong>{request.status}</strong>
            {request.decidedAt && request.status !== "open"
              ? ` — ${request.decidedByLabel ? `by ${request.decidedByLabel}, ` : ""}${when(request.decidedAt)}`
              : null}
          </dd>
          <dt>Label</dt>
          <dd>
            <code>{request.labelName}</code>: v{request.fromNumber ?? "—"} → v{request.toNumber}
            {current !== null && current !== request.fromNumber ? ` (it points at v${current} now)` : null}
          </dd>
          <dt>Proposed</dt>
          <dd>
            by {request.proposedByLabel || "someone"}, {when(request.createdAt)}
          </dd>
          {request.comment ? (
            <>
              <dt>Comment</dt>
              <dd className="change-request-comment">{request.comment}</dd>
            </>
          ) : null}
          {request.decisionComment ? (
            <>
              <dt>Decision comment</dt>
              <dd className="change-request-comment">{request.decisionComment}</dd>
            </>
          ) : null}
        </dl>
        {stale ? (
          <p className="alert alert-error">
            The label no longer points at v{request.fromNumber}: approving is refused. Propose the change again.
          </p>
        ) : null}
        {canDecide ? (
          <Form method="post" className="form-grid" aria-label="Decide">
            <ProblemField id="decision-comment" field="comment" label="Comment" error={issueFor(problem, "comment")}>
              {(aria) => <textarea id="decision-comment" name="comment" rows={2} maxLength={2000} {...aria} />}
            </ProblemField>
            <div className="inline-form">
              <button type="submit" name="intent" value="approve" className="btn btn-primary">
                Approve and move the label
              </button>
              <button type="submit" name="intent" value="reject" className="btn btn-ghost btn-danger-text">
                Reject
              </button>
            </div>
          </Form>
        ) : null}
        {canWithdraw ? (
          <Form method="post" className="inline-form">
            {ownNote ? <p className="muted">You proposed this: someone else approves or rejects it.</p> : null}
            <button type="submit" name="intent" value="withdraw" className="btn btn-ghost">
              Withdraw my request
            </button>
          </Form>
        ) : null}
      </section>
      <DiffSummary diff={diff} />
      <section aria-labelledby="sections-title" className="card panel">
        <h2 id="sections-title">
          What changes: {la} {request.status === "open" ? "(now)" : "(then)"} → {lb} (proposed)
        </h2>
        <SectionDiffs
          diff={diff}
          beforeLabel={`${la}${a.message ? ` — ${a.message}` : ""}`}
          afterLabel={`${lb}${b.message ? ` — ${b.message}` : ""}`}
        />
      </section>
      <section className="card panel" aria-label="Variables and model settings">
        <SchemaDiffs diff={diff} beforeLabel={la} afterLabel={lb} />
      </section>
      <section aria-labelledby="rendered-title" className="card panel">
        <h2 id="rendered-title">Rendered ({TARGET_INFO[target].label}) with the saved test values</h2>
        <div className="diff-columns">
          <div className="diff-column">
            <div className="diff-column-label">
              {la} {request.status === "open" ? "(now)" : "(then)"}
            </div>
            <DiffText ops={rendered.ops} side="before" />
          </div>
          <div className="diff-column">
            <div className="diff-column-label">{lb} (proposed)</div>
            <DiffText ops={rendered.ops} side="after" />
          </div>
        </div>
        <p>
          <Link to={`/prompts/${prompt.slug}/compare?a=${a.number}&b=${b.number}`}>Compare with other values →</Link>
        </p>
      </section>
    </div>
  );
}
