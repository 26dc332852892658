/**
 * A prompt's page: details, labels (move, protect), recent versions, the newest version's sections,
 * and organise actions (rename, tags, move, favourite, duplicate, trash).
 */
import {
  redirect,
  type ActionFunctionArgs,
  type LinksFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { AbsoluteDate } from "~/components/library/AbsoluteDate";
import { IntentButton } from "~/components/library/IntentButton";
import { VersionTable } from "~/components/library/VersionTable";
import { getDb } from "~/server/db.server";
import { getEnv } from "~/server/env.server";
import { getHistory, loadVersion, requirePrompt } from "~/models/history.server";
import { toPromptSummary } from "~/models/prompt-summary.server";
import { STANDARD_LABELS } from "~/library/constants";
import { LOCAL_ACTOR, moveLabel, setLabelProtection } from "~/models/labels.server";
import { duplicatePrompt, movePrompts, setFavorite, trashPrompts, updateDetails } from "~/models/organize.server";
import { partialNames } from "~/prompt/partials";
import { issueFor } from "~/components/issue-for";
import type { Problem } from "~/prompt/problem";
import { pageAction, pageLoad, parseIntent } from "~/server/http/problem.server";
import { KIND_LABEL } from "~/prompt/targets";
import libraryStyles from "~/styles/library.css";
import { ActionFeedback } from "~/components/library/ActionFeedback";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: libraryStyles }];
export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.prompt.name ?? "Prompt"} · Prompt Builder` },
];

export async function loader({ params }: LoaderFunctionArgs) {
  const db = getDb();
  const { prompt, versions, events } = await pageLoad(() => getHistory(db, params.slug ?? "", { limit: 8 }));
  const head = await loadVersion(db, prompt.id, prompt.headVersion);
  return {
    prompt: toPromptSummary(prompt),
    versions,
    events: events.slice(0, 10),
    head: head
      ? {
          number: head.number,
          message: head.message,
          author: head.author,
          sections: head.draft.sections,
          variables: head.draft.variables,
          modelSettings: head.draft.modelSettings,
        }
      : null,
    snippets: head ? partialNames(head.draft) : [],
    authEnabled: getEnv().ENABLE_AUTH,
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const db = getDb();
  const form = await request.formData();
  const env = getEnv();
  return pageAction(async () => {
    const intent = parseIntent(form, [
      "details",
      "label",
      "protect",
      "unprotect",
      "move",
      "favorite",
      "duplicate",
      "trash",
    ] as const);
    const prompt = await requirePrompt(db, params.slug ?? "");
    const here = `/prompts/${prompt.slug}`;
    switch (intent) {
      case "details":
        await updateDetails(db, prompt.id, {
          name: form.get("name"),
          description: form.get("description") ?? "",
          tags: String(form.get("tags") ?? "").split(","),
        });
        return redirect(`${here}?done=details`);
      case "label": {
        const version = Number(form.get("version"));
        const custom = String(form.get("customName") ?? "").trim();
        const name = custom || String(form.get("name") ?? "");
        // Accounts are not built yet: with them off, the actor is local (allowed to move protected labels).
        // The label form's name field is labelName (the details form has its own "name").
        await moveLabel(db, {
          promptId: prompt.id,
          name,
          version: Number.isInteger(version) ? version : -1,
          actor: LOCAL_ACTOR,
          authEnabled: env.ENABLE_AUTH,
          nameField: "labelName",
        });
        return redirect(`${here}?done=label`);
      }
      case "protect":
      case "unprotect":
        await setLabelProtection(db, {
          promptId: prompt.id,
          name: String(form.get("name") ?? ""),
          protected: intent === "protect",
          actor: LOCAL_ACTOR,
          authEnabled: env.ENABLE_AUTH,
        });
        return redirect(`${here}?done=label`);
      case "move":
        await movePrompts(db, [prompt.id], form.get("folder") ?? "");
        return redirect(`${here}?done=moved`);
      case "favorite":
        await setFavorite(db, prompt.id, !prompt.favorite);
        return redirect(here);
      case "duplicate": {
        const copy = await duplicatePrompt(db, prompt.slug);
        return redirect(`/prompts/${copy.prompt.slug}?done=duplicated`);
      }
      case "trash":
        await trashPrompts(db, [prompt.id]);
        return redirect(`/trash?done=${encodeURIComponent(prompt.name)}`);
    }
  });
}

const DONE: Record<string, string> = {
  details: "Details saved.",
  label: "Label updated.",
  moved: "Moved.",
  duplicated: "This is a copy; edit it freely.",
};

function FieldMessage({ problem, field }: { problem: Problem | undefined; field: string }) {
  const m = issueFor(problem, field);
  return m ? (
    <span className="field-error" id={`${field}-error`} role="alert">
      {m}
    </span>
  ) : null;
}

export default function PromptPage() {
  const { prompt, versions, events, head, snippets, authEnabled } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const problem = result?.problem;
  const [params] = useSearchParams();
  const done = DONE[params.get("done") ?? ""];
  const labelNames = [...new Set([...STANDARD_LABELS, ...prompt.labels.map((l) => l.name)])];
  return (
    <div>
      <p className="crumbs">
        <Link to="/">Library</Link>
        {prompt.folder ? (
          <>
            {" / "}
            <Link to={`/?folder=${encodeURIComponent(prompt.folder)}`}>{prompt.folder}</Link>
          </>
        ) : null}
      </p>
      <div className="page-header">
        <h1>
          {prompt.favorite ? <span aria-label="Favourite">★ </span> : null}
          {prompt.name}
        </h1>
        <div className="actions">
          <Link to={`/prompts/${prompt.slug}/edit`} className="btn btn-primary">
            Edit
          </Link>
          <Link to={`/prompts/${prompt.slug}/history`} className="btn">
            History
          </Link>
          <IntentButton intent="favorite" aria-pressed={prompt.favorite}>
            {prompt.favorite ? "★ Favourite" : "☆ Favourite"}
          </IntentButton>
          <IntentButton intent="duplicate">Duplicate</IntentButton>
          <IntentButton intent="trash" className="btn btn-danger">
            Move to trash
          </IntentButton>
        </div>
      </div>
      <ActionFeedback done={done} error={problem?.error} />

      <div className="prompt-page">
        <div>
          <section className="panel card" aria-labelledby="content-title">
            <h2 id="content-title">
              Version {head?.number} {head?.message ? <span className="muted">— {head.message}</span> : null}
            </h2>
            {prompt.description ? <p>{prompt.description}</p> : null}
            {head?.sections.map((s, i) => (
              <details key={s.id ?? i} className="section-preview" open={i < 3}>
                <summary>
                  {s.title || KIND_LABEL[s.kind]}{" "}
                  <span className="muted">
                    ({KIND_LABEL[s.kind]}
                    {s.enabled ? "" : ", disabled"})
                  </span>
                </summary>
                <pre>{s.template || s.examples.map((e) => `Input: ${e.input}\nOutput: ${e.output}`).join("\n\n")}</pre>
              </details>
            ))}
            {snippets.length ? (
              <p className="muted">
                Uses snippets:{" "}
                {snippets.map((n, i) => (
                  <span key={n}>
                    {i ? ", " : ""}
                    <Link to={`/snippets/${n}`}>{n}</Link>
                  </span>
                ))}
              </p>
            ) : null}
            {head?.variables.length ? (
              <p className="muted">
                Variables:{" "}
                {head.variables.map((v) => `${v.name} (${v.type}${v.required ? "" : ", optional"})`).join(", ")} · Model{" "}
                {head.modelSettings.model}
              </p>
            ) : null}
          </section>

          <section className="panel card" aria-labelledby="versions-title">
            <h2 id="versions-title">Recent versions</h2>
            <VersionTable
              versions={versions}
              marks={(v) =>
                v.labels.map((l) => (
                  <span key={l} className="badge">
                    {l}
                  </span>
                ))
              }
            />
            <p>
              <Link to={`/prompts/${prompt.slug}/history`}>All versions, compare and restore →</Link>
            </p>
          </section>
        </div>

        <div>
          <section className="panel card" aria-labelledby="labels-title">
            <h2 id="labels-title">Labels</h2>
            {prompt.labels.length ? (
              <table className="labels-table">
                <tbody>
                  {prompt.labels.map((l) => (
                    <tr key={l.name}>
                      <th scope="row">
                        {l.protected ? (
                          <span
                            title={
                              authEnabled
                                ? "Protected: only admins move it"
                                : "Protected (accounts are off, so anyone may move it)"
                            }
                          >
                            🔒{" "}
                          </span>
                        ) : null}
                        {l.name}
                      </th>
                      <td>v{l.version}</td>
                      <td>
                        <IntentButton
                          intent={l.protected ? "unprotect" : "protect"}
                          fields={{ name: l.name }}
                          className="btn btn-sm btn-ghost"
                        >
                          {l.protected ? "Unprotect" : "Protect"}
                        </IntentButton>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            ) : (
              <p className="muted">No labels yet. Point production at a version to serve it.</p>
            )}
            <Form method="post" className="form-grid" aria-labelledby="move-label-title">
              <h3 id="move-label-title">Move a label</h3>
              <div className="field">
                <label htmlFor="label-name">Label</label>
                <select id="label-name" name="name" defaultValue="production">
                  {labelNames.map((n) => (
                    <option key={n}>{n}</option>
                  ))}
                </select>
              </div>
              <div className="field">
                <label htmlFor="label-custom">…or a new label</label>
                <input
                  id="label-custom"
                  name="customName"
                  type="text"
                  placeholder="e.g. canary"
                  aria-invalid={!!issueFor(problem, "labelName")}
                  aria-describedby="labelName-error"
                />
                <FieldMessage problem={problem} field="labelName" />
              </div>
              <div className="field">
                <label htmlFor="label-version">Version</label>
                <select
                  id="label-version"
                  name="version"
                  defaultValue={String(prompt.headVersion)}
                  aria-invalid={!!issueFor(problem, "version")}
                  aria-describedby="version-error"
                >
                  {Array.from({ length: Math.min(prompt.headVersion, 200) }, (_, i) => prompt.headVersion - i).map(
                    (n) => (
                      <option key={n} value={n}>
                        v{n}
                      </option>
                    ),
                  )}
                </select>
                <FieldMessage problem={problem} field="version" />
              </div>
              <button type="submit" name="intent" value="label" className="btn btn-primary">
                Move label
              </button>
            </Form>
            {events.length ? (
              <>
                <h3>Label moves</h3>
                <ul className="event-list">
                  {events.map((e) => (
                    <li key={e.id}>
                      <strong>{e.label}</strong> {e.from ? `v${e.from} → ` : "set to "}v{e.to} by {e.actor ?? "local"},{" "}
                      <AbsoluteDate iso={e.at} />
                    </li>
                  ))}
                </ul>
              </>
            ) : null}
          </section>

          <section className="panel card" aria-labelledby="details-title">
            <h2 id="details-title">Details</h2>
            <Form method="post" className="form-grid">
              <input type="hidden" name="intent" value="details" />
              <div className="field">
                <label htmlFor="name">Name</label>
                <input
                  id="name"
                  name="name"
                  type="text"
                  defaultValue={prompt.name}
                  aria-invalid={!!issueFor(problem, "name")}
                  aria-describedby="name-error"
                />
                <FieldMessage problem={problem} field="name" />
              </div>
              <div className="field">
                <label htmlFor="description">Description</label>
                <textarea
                  id="description"
                  name="description"
                  rows={3}
                  defaultValue={prompt.description}
                  aria-invalid={!!issueFor(problem, "description")}
                />
                <FieldMessage problem={problem} field="description" />
              </div>
              <div className="field">
                <label htmlFor="tags">Tags</label>
                <input
                  id="tags"
                  name="tags"
                  type="text"
                  defaultValue={prompt.tags.join(", ")}
                  aria-invalid={!!issueFor(problem, "tags")}
                  aria-describedby="tags-error"
                />
                <FieldMessage problem={problem} field="tags" />
              </div>
              <button type="submit" className="btn">
                Save details
              </button>
            </Form>
            <Form method="post" className="form-grid">
              <input type="hidden" name="intent" value="move" />
              <div className="field">
                <label htmlFor="folder">Folder</label>
                <input
                  id="folder"
                  name="folder"
                  type="text"
                  defaultValue={prompt.folder}
                  placeholder="support/email"
                  aria-invalid={!!issueFor(problem, "folder")}
                  aria-describedby="folder-error"
                />
                <FieldMessage problem={problem} field="folder" />
              </div>
              <button type="submit" className="btn">
                Move
              </button>
            </Form>
          </section>
        </div>
      </div>
    </div>
  );
}
