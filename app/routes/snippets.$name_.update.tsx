/**
 * Update dependents: for each prompt whose newest version pins an older version of this snippet,
 * the rendered diff (with its defaults and saved test values) and the problems the newest snippet
 * version brings; the selected ones get a new version pinned to it. No label moves.
 */
import {
  redirect,
  type ActionFunctionArgs,
  type LinksFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { ActionFeedback } from "~/components/library/ActionFeedback";
import { DiffText } from "~/components/history/DiffText";
import { getDb } from "~/server/db.server";
import { applyDependentUpdates, previewDependentUpdates } from "~/models/snippet-update.server";
import { InvalidError } from "~/prompt/errors";
import { pageAction, pageLoad, readForm } from "~/server/http/problem.server";
import { actorOf, requireUser, visibilityScope } from "~/server/auth/guard.server";
import libraryStyles from "~/styles/library.css";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: libraryStyles }];
export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `Update dependents of ${data?.snippet.name ?? "snippet"} · Prompt Builder` },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const principal = await requireUser(request, "editor");
  return pageLoad(() => previewDependentUpdates(getDb(), params.name ?? "", visibilityScope(principal)));
}

export async function action({ request, params }: ActionFunctionArgs) {
  const principal = await requireUser(request, "editor");
  const form = await readForm(request);
  const name = params.name ?? "";
  return pageAction(async () => {
    const slugs = form.getAll("slug").map(String);
    if (!slugs.length) throw InvalidError.field("slug", "Select at least one prompt to update.");
    const { made, skipped } = await applyDependentUpdates(
      getDb(),
      name,
      slugs,
      visibilityScope(principal),
      actorOf(principal, request),
    );
    return redirect(`/snippets/${name}?updated=${made.length}${skipped ? `&skipped=${skipped}` : ""}`);
  });
}

export default function UpdateDependents() {
  const { snippet, updates, skipped } = useLoaderData<typeof loader>();
  const problem = useActionData<typeof action>()?.problem;
  return (
    <div>
      <p className="crumbs">
        <Link to="/snippets">Snippets</Link> / <Link to={`/snippets/${snippet.name}`}>{snippet.name}</Link>
      </p>
      <div className="page-header">
        <h1>
          Update dependents of <code>{snippet.name}</code>
        </h1>
      </div>
      <ActionFeedback done={null} error={problem?.error} />
      {skipped ? (
        <p className="notice" role="status" data-testid="dependents-skipped">
          {skipped === 1 ? "1 prompt" : `${skipped} prompts`} on an older version of <code>{snippet.name}</code>{" "}
          {skipped === 1 ? "is" : "are"} another user&apos;s private {skipped === 1 ? "prompt" : "prompts"}: not listed
          and not updated here. Their owners (or an admin) can update them.
        </p>
      ) : null}
      {updates.length === 0 ? (
        <p className="muted">Every prompt&apos;s newest version already pins version {snippet.headVersion}.</p>
      ) : (
        <Form method="post">
          <p>
            Each selected prompt gets a new version, the same as its newest one but pinned to version{" "}
            {snippet.headVersion} of <code>{snippet.name}</code>. <strong>No label moves</strong>: move them on the
            prompt&apos;s page once you are happy with the new version.
          </p>
          <ul className="update-list">
            {updates.map((u) => (
              <li key={u.slug} className="panel card update-item" data-testid="dependent-update">
                <label className="checkbox-field">
                  <input type="checkbox" name="slug" value={u.slug} defaultChecked={u.problems.length === 0} />
                  <span>
                    <strong>{u.promptName}</strong> v{u.version}
                    {u.labels.length ? ` (${u.labels.join(", ")})` : ""} — pins v{u.pinnedNumber}, would pin v
                    {snippet.headVersion}
                  </span>
                </label>
                {u.includedAs ? (
                  <p className="muted" data-testid="dependent-renamed">
                    Includes it by its old name, <code>{`{{> ${u.includedAs}}}`}</code>: the new version writes{" "}
                    <code>{`{{> ${snippet.name}}}`}</code>.
                  </p>
                ) : null}
                <h3 className="sr-only">Rendered change</h3>
                <DiffText ops={u.ops} />
                {u.problems.length ? (
                  <>
                    <p className="field-error" role="note">
                      With version {snippet.headVersion} this prompt does not render:
                    </p>
                    <ul className="problems">
                      {u.problems.map((p) => (
                        <li key={p}>{p}</li>
                      ))}
                    </ul>
                  </>
                ) : null}
              </li>
            ))}
          </ul>
          <button type="submit" className="btn btn-primary update-submit">
            Create new versions for the selected prompts
          </button>
        </Form>
      )}
    </div>
  );
}
