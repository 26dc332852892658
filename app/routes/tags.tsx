/** Tags: how many prompts carry each; rename one, or merge several into one. */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { data, type ActionFunctionArgs, type LinksFunction, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { getDb } from "~/server/db.server";
import { listTags, mergeTags, renameTag } from "~/models/organize.server";
import { plural } from "~/components/plural";
import { issueFor } from "~/components/issue-for";
import { ProblemField } from "~/components/ProblemField";
import { pageAction, parseIntent, readForm } from "~/server/http/problem.server";
import libraryStyles from "~/styles/library.css";
import { ActionFeedback } from "~/components/library/ActionFeedback";
import { actorOf, requireUser, visibilityScope } from "~/server/auth/guard.server";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: libraryStyles }];
export const meta: MetaFunction = () => [{ title: "Tags · Prompt Builder" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const principal = await requireUser(request);
  return { tags: await listTags(getDb(), visibilityScope(principal)) };
}

export async function action({ request }: ActionFunctionArgs) {
  const principal = await requireUser(request, "editor");
  const actor = actorOf(principal, request);
  const form = await readForm(request);
  const db = getDb();
  return pageAction(async () => {
    if (parseIntent(form, ["rename", "merge"] as const) === "rename") {
      const from = String(form.get("from") ?? "");
      await renameTag(db, from, form.get("to"), actor);
      return data({ ok: `Renamed “${from}”.`, form: `rename-${from}` });
    }
    const sources = form.getAll("sources").map(String);
    const r = await mergeTags(db, sources, form.get("into"), actor);
    return data({
      ok: `Merged ${sources.length} ${plural(sources.length, "tag", "tags")}; ${r.moved} ${plural(r.moved, "prompt", "prompts")} got the new tag.`,
      form: "merge",
    });
  });
}

export default function Tags() {
  const { tags } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const problem = result && "problem" in result ? result.problem : undefined;
  return (
    <div>
      <p className="crumbs">
        <Link to="/">Library</Link>
      </p>
      <div className="page-header">
        <h1>Tags</h1>
      </div>
      <ActionFeedback done={result && "ok" in result ? result.ok : null} error={problem?.error} />
      <div className="prompt-page">
        <section className="panel card" aria-labelledby="tags-title">
          <h2 id="tags-title">Rename</h2>
          {tags.length === 0 ? <p className="muted">No tags yet: add them to prompts in the library.</p> : null}
          <table className="simple-table">
            <tbody>
              {tags.map((t) => (
                <tr key={t.name}>
                  <td>
                    <Link to={`/?tag=${encodeURIComponent(t.name)}`}>#{t.name}</Link>{" "}
                    <span className="muted">({t.count})</span>
                  </td>
                  <td>
                    <Form method="post" className="inline-field">
                      <input type="hidden" name="intent" value="rename" />
                      <input type="hidden" name="from" value={t.name} />
                      <label htmlFor={`to-${t.name}`} className="sr-only">
                        New name for {t.name}
                      </label>
                      <input id={`to-${t.name}`} name="to" type="text" defaultValue={t.name} />
                      <button type="submit" className="btn btn-sm">
                        Rename
                      </button>
                    </Form>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
        <section className="panel card" aria-labelledby="merge-title">
          <h2 id="merge-title">Merge</h2>
          <Form method="post" className="form-grid">
            <input type="hidden" name="intent" value="merge" />
            <fieldset className="field">
              <legend className="field-label">Tags to merge</legend>
              {tags.map((t) => (
                <label key={t.name} className="checkbox-field">
                  <input type="checkbox" name="sources" value={t.name} /> {t.name}
                </label>
              ))}
              <span className="field-error">{issueFor(problem, "sources")}</span>
            </fieldset>
            <ProblemField id="into" label="Into" error={issueFor(problem, "into")}>
              {(aria) => <input id="into" name="into" type="text" {...aria} />}
            </ProblemField>
            <button type="submit" className="btn btn-primary">
              Merge tags
            </button>
          </Form>
        </section>
      </div>
    </div>
  );
}
