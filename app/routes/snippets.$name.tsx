/**
 * One snippet: its text (any version), a form that saves a new version, its versions, what it
 * includes, and every prompt that uses it ("used by"), directly or through another snippet.
 */
import {
  type ActionFunctionArgs,
  type LinksFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { IntentButton } from "~/components/library/IntentButton";
import { VersionTable } from "~/components/library/VersionTable";
import { getDb } from "~/server/db.server";
import { issueFor } from "~/components/issue-for";
import { ProblemField } from "~/components/ProblemField";
import { counted } from "~/components/plural";
import { parseBaseVersion } from "~/prompt/save-form";
import { NotFoundError } from "~/prompt/errors";
import { pageAction, pageLoad, parseIntent, readForm } from "~/server/http/problem.server";
import { getSnippet, renameSnippet, saveSnippet } from "~/models/snippets.server";
import { trashSnippet } from "~/models/trash.server";
import libraryStyles from "~/styles/library.css";
import { ActionFeedback } from "~/components/library/ActionFeedback";
import { localRedirect } from "~/server/http/safe-redirect.server";
import { actorOf, requireUser, visibilityScope } from "~/server/auth/guard.server";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: libraryStyles }];
export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.snippet.name ?? "Snippet"} · Snippets · Prompt Builder` },
];

export async function loader({ params, request }: LoaderFunctionArgs) {
  const principal = await requireUser(request);
  const v = new URL(request.url).searchParams.get("version");
  return pageLoad(async () => {
    const s = await getSnippet(getDb(), params.name ?? "", {
      version: v && /^\d+$/.test(v) ? Number(v) : undefined,
      visibleTo: visibilityScope(principal),
    });
    if (!s) throw NotFoundError.snippet(params.name ?? "");
    return s;
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const principal = await requireUser(request, "editor");
  const form = await readForm(request);
  const db = getDb();
  const name = params.name ?? "";
  return pageAction(async () => {
    const intent = parseIntent(form, ["trash", "save", "rename"] as const);
    if (intent === "trash") {
      await trashSnippet(db, name, new Date(), actorOf(principal, request));
      return localRedirect("/trash");
    }
    if (intent === "rename") {
      // Saved versions keep rendering the text they pinned under the old name (decision 090).
      const renamed = await renameSnippet(db, { name, newName: String(form.get("newName") ?? "") });
      return localRedirect(
        renamed.name === name ? `/snippets/${name}` : `/snippets/${renamed.name}?renamed=${encodeURIComponent(name)}`,
      );
    }
    const v = await saveSnippet(db, {
      name,
      baseVersion: parseBaseVersion(form),
      input: {
        name,
        description: form.get("description") ?? "",
        template: form.get("template") ?? "",
        message: form.get("message") ?? "",
      },
      actor: actorOf(principal, request),
    });
    return localRedirect(`/snippets/${name}?saved=${v.number}`);
  });
}

export default function SnippetPage() {
  const { snippet, versions, shown, includes, includedBy, usedBy, dependents, lagging, updatable } =
    useLoaderData<typeof loader>();
  const problem = useActionData<typeof action>()?.problem;
  const [params] = useSearchParams();
  const saved = params.get("saved");
  const updated = params.get("updated");
  const renamed = params.get("renamed");
  const skipped = Number(params.get("skipped") ?? 0) || 0;
  const isHead = shown.number === snippet.headVersion;
  const updateLink = updatable ? (
    <p>
      <Link to={`/snippets/${snippet.name}/update`} className="btn btn-sm">
        Update dependents…
      </Link>
    </p>
  ) : null;
  return (
    <div>
      <p className="crumbs">
        <Link to="/snippets">Snippets</Link>
      </p>
      <div className="page-header">
        <h1>
          <code>{snippet.name}</code>
        </h1>
        <IntentButton intent="trash" className="btn btn-danger">
          Move to trash
        </IntentButton>
      </div>
      <ActionFeedback
        done={
          saved
            ? `Saved as version ${saved}. Saved prompt versions keep the snippet version they pinned; update them below.`
            : updated !== null
              ? `Created ${counted(Number(updated), "new prompt version", "new prompt versions")} pinned to version ${snippet.headVersion}. No label moved.` +
                (skipped
                  ? ` Skipped ${skipped} other ${skipped === 1 ? "user's private prompt" : "users' private prompts"}: not yours to change.`
                  : "")
              : renamed
                ? `Renamed from “${renamed}”. Saved prompt versions keep rendering what they pinned; new versions must include it as {{> ${snippet.name}}}.`
                : null
        }
        error={problem?.error}
      />
      {lagging.length ? (
        <div className="notice notice-warning" role="status" data-testid="snippet-lagging">
          <p>
            <strong>Version {snippet.headVersion} is not yet used by labelled versions:</strong>{" "}
            {lagging.map((d, i) => (
              <span key={d.versionId}>
                {i ? "; " : ""}
                <Link to={`/prompts/${d.slug}`}>{d.promptName}</Link> v{d.version} ({d.labels.join(", ")}) pins v
                {d.pinnedNumber}
              </span>
            ))}
            . They keep rendering what they pinned.
          </p>
          {updateLink}
        </div>
      ) : (
        updateLink
      )}
      <p className="muted">
        Include it in a section with <code>{`{{> ${snippet.name}}}`}</code>.{" "}
        {includes.length ? (
          <>
            It includes{" "}
            {includes.map((n, i) => (
              <span key={n}>
                {i ? ", " : ""}
                <Link to={`/snippets/${n}`}>{n}</Link>
              </span>
            ))}
            .
          </>
        ) : null}{" "}
        {includedBy.length ? <>Included by {includedBy.join(", ")}.</> : null}
      </p>
      <div className="prompt-page">
        <div>
          <section className="panel card" aria-labelledby="text-title">
            <h2 id="text-title">
              {isHead ? `Text (version ${shown.number}, newest)` : `Text of version ${shown.number}`}
            </h2>
            {isHead ? (
              <Form method="post" className="form-grid">
                <input type="hidden" name="intent" value="save" />
                <input type="hidden" name="baseVersion" value={snippet.headVersion} />
                <div className="field">
                  <label htmlFor="description">Description</label>
                  <input id="description" name="description" type="text" defaultValue={snippet.description} />
                </div>
                <ProblemField id="template" label="Text" error={issueFor(problem, "template")}>
                  {(aria) => (
                    <textarea id="template" name="template" rows={10} defaultValue={shown.template} {...aria} />
                  )}
                </ProblemField>
                <div className="field">
                  <label htmlFor="message">Version message</label>
                  <input id="message" name="message" type="text" maxLength={500} />
                </div>
                <button type="submit" className="btn btn-primary">
                  Save new version
                </button>
              </Form>
            ) : (
              <>
                <pre className="template-view">{shown.template}</pre>
                <p>
                  <Link to={`/snippets/${snippet.name}`}>Back to the newest version</Link>
                </p>
              </>
            )}
          </section>
          <section className="panel card" aria-labelledby="rename-title">
            <h2 id="rename-title">Rename</h2>
            <Form method="post" className="form-grid">
              <input type="hidden" name="intent" value="rename" />
              <div className="field">
                <label htmlFor="newName">New name</label>
                <input
                  id="newName"
                  name="newName"
                  type="text"
                  required
                  maxLength={64}
                  defaultValue={snippet.name}
                  autoComplete="off"
                  aria-invalid={!!issueFor(problem, "newName")}
                  aria-describedby="newName-help newName-error"
                />
                <span id="newName-help" className="muted">
                  Letters, digits, - and _. Saved versions keep rendering what they pinned; drafts must then write{" "}
                  <code>{"{{> new_name}}"}</code>.
                </span>
                <span id="newName-error" className="field-error">
                  {issueFor(problem, "newName")}
                </span>
              </div>
              <button type="submit" className="btn">
                Rename
              </button>
            </Form>
          </section>
          <section className="panel card" aria-labelledby="deps-title">
            <h2 id="deps-title">Dependent versions</h2>
            {dependents.length === 0 ? (
              <p className="muted">No labelled or newest prompt version pins this snippet.</p>
            ) : (
              <div className="table-scroll">
                <table className="deps-table">
                  <thead>
                    <tr>
                      <th scope="col">Prompt version</th>
                      <th scope="col">Labels</th>
                      <th scope="col">Pins</th>
                    </tr>
                  </thead>
                  <tbody>
                    {dependents.map((d) => (
                      <tr key={d.versionId} data-testid="snippet-dependent">
                        <td>
                          <Link to={`/prompts/${d.slug}`}>{d.promptName}</Link> v{d.version}
                          {d.isHead ? <span className="muted"> (newest)</span> : null}
                        </td>
                        <td>{d.labels.length ? d.labels.join(", ") : <span className="muted">none</span>}</td>
                        <td>
                          v{d.pinnedNumber}
                          {d.pinnedNumber < snippet.headVersion ? <span className="muted"> (older)</span> : null}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </section>
          <section className="panel card" aria-labelledby="used-title">
            <h2 id="used-title">Used by</h2>
            {usedBy.length === 0 ? (
              <p className="muted">No prompt uses this snippet in its newest version.</p>
            ) : (
              <ul>
                {usedBy.map((u) => (
                  <li key={u.slug}>
                    <Link to={`/prompts/${u.slug}`}>{u.name}</Link>{" "}
                    <span className="muted">
                      v{u.headVersion}
                      {u.folder ? ` · ${u.folder}` : ""}
                    </span>
                    {u.through.length ? <span className="muted"> — through {u.through.join(", ")}</span> : null}
                  </li>
                ))}
              </ul>
            )}
          </section>
        </div>
        <section className="panel card" aria-labelledby="sv-title">
          <h2 id="sv-title">Versions</h2>
          <VersionTable
            versions={versions}
            href={(v) =>
              v.number === snippet.headVersion
                ? `/snippets/${snippet.name}`
                : `/snippets/${snippet.name}?version=${v.number}`
            }
          />
        </section>
      </div>
    </div>
  );
}
