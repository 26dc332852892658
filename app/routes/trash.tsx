/** The trash: restore or delete for good; the scheduled `trash:purge` command deletes what is older than 30 days. */
import type { LoaderFunctionArgs } from "@remix-run/node";
import type { ReactNode } from "react";
import { type ActionFunctionArgs, type LinksFunction, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { AbsoluteDate } from "~/components/library/AbsoluteDate";
import { IntentButton } from "~/components/library/IntentButton";
import { counted } from "~/components/plural";
import { getDb } from "~/server/db.server";
import { pageAction, parseIntent, readForm } from "~/server/http/problem.server";
import { TRASH_DAYS } from "~/library/constants";
import {
  deletePromptForever,
  deleteSnippetForever,
  listTrash,
  restorePrompt,
  restoreSnippet,
} from "~/models/trash.server";
import libraryStyles from "~/styles/library.css";
import { ActionFeedback } from "~/components/library/ActionFeedback";
import { localRedirect } from "~/server/http/safe-redirect.server";
import { actorOf, requireUser, requireVisiblePromptIds, visibilityScope } from "~/server/auth/guard.server";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: libraryStyles }];
export const meta: MetaFunction = () => [{ title: "Trash · Prompt Builder" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const principal = await requireUser(request, "editor");
  return listTrash(getDb(), new Date(), visibilityScope(principal));
}

export async function action({ request }: ActionFunctionArgs) {
  const principal = await requireUser(request, "editor");
  const form = await readForm(request);
  const db = getDb();
  const id = String(form.get("id") ?? "");
  const actor = actorOf(principal, request);
  await requireVisiblePromptIds(principal, [id]);
  // Deleting for good cannot be undone: admins only (restoring is an editor's).
  if (String(form.get("intent") ?? "").startsWith("delete-")) await requireUser(request, "admin");
  return pageAction(async () => {
    switch (parseIntent(form, ["restore-prompt", "delete-prompt", "restore-snippet", "delete-snippet"] as const)) {
      case "restore-prompt": {
        const r = await restorePrompt(db, id, actor);
        // Say what happened, and when the name was taken meanwhile, that it was renamed and why.
        return localRedirect(
          `/prompts/${r.slug}?done=${r.renamed ? `restored-renamed&was=${encodeURIComponent(r.previousName)}` : "restored"}`,
        );
      }
      case "delete-prompt":
        await deletePromptForever(db, id, actor);
        return localRedirect("/trash?deleted=1");
      case "restore-snippet":
        await restoreSnippet(db, id, actor);
        return localRedirect("/snippets");
      case "delete-snippet":
        await deleteSnippetForever(db, id, actor);
        return localRedirect("/trash?deleted=1");
    }
  });
}

export default function Trash() {
  const { prompts, snippets } = useLoaderData<typeof loader>();
  const problem = useActionData<typeof action>()?.problem;
  const [params] = useSearchParams();
  const trashed = params.get("done");
  return (
    <div>
      <div className="page-header">
        <h1>Trash</h1>
      </div>
      <p className="muted">Items stay here for {TRASH_DAYS} days, then are deleted for good.</p>
      {trashed ? (
        <p className="flash" role="status">
          “{trashed}” was moved to the trash.
        </p>
      ) : null}
      {params.get("deleted") ? (
        <p className="flash" role="status">
          Deleted permanently.
        </p>
      ) : null}
      <ActionFeedback error={problem?.error} />
      {prompts.length === 0 && snippets.length === 0 ? (
        <div className="panel empty-state">
          <h2>The trash is empty</h2>
          <p>
            Deleted prompts and snippets appear here. <Link to="/">Back to the library</Link>
          </p>
        </div>
      ) : (
        <section className="panel card" aria-labelledby="trash-title">
          <h2 id="trash-title">In the trash</h2>
          <div className="table-scroll">
            <table className="simple-table">
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Kind</th>
                  <th scope="col">Deleted</th>
                  <th scope="col">Deleted for good</th>
                  <th scope="col">
                    <span className="sr-only">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {prompts.map((p) => (
                  <TrashRow
                    key={p.id}
                    item={p}
                    kind="prompt"
                    label={
                      <>
                        {p.name} {p.folder ? <span className="muted">· {p.folder}</span> : null}
                      </>
                    }
                    accessibleName={p.name}
                  />
                ))}
                {snippets.map((s) => (
                  <TrashRow
                    key={s.id}
                    item={s}
                    kind="snippet"
                    label={<code>{s.name}</code>}
                    accessibleName={`snippet ${s.name}`}
                  />
                ))}
              </tbody>
            </table>
          </div>
        </section>
      )}
    </div>
  );
}

/** One trashed prompt or snippet: what it is, when it went, when it goes for good, restore or delete. */
function TrashRow({
  item,
  kind,
  label,
  accessibleName,
}: {
  item: { id: string; headVersion: number; deletedAt: string; daysLeft: number };
  kind: "prompt" | "snippet";
  label: ReactNode;
  accessibleName: string;
}) {
  return (
    <tr data-testid="trash-row">
      <td>{label}</td>
      <td>
        {kind === "prompt" ? "Prompt" : "Snippet"} (v{item.headVersion})
      </td>
      <td>
        <AbsoluteDate iso={item.deletedAt} />
      </td>
      <td>{item.daysLeft === 0 ? "at the next purge" : `in ${counted(item.daysLeft, "day", "days")}`}</td>
      <td>
        <div className="actions">
          <IntentButton
            intent={`restore-${kind}`}
            fields={{ id: item.id }}
            className="btn btn-sm"
            aria-label={`Restore ${accessibleName}`}
          >
            Restore
          </IntentButton>
          <IntentButton
            intent={`delete-${kind}`}
            fields={{ id: item.id }}
            className="btn btn-sm btn-danger"
            aria-label={`Delete ${accessibleName} permanently`}
          >
            Delete permanently
          </IntentButton>
        </div>
      </td>
    </tr>
  );
}
