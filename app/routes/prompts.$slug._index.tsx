/**
 * A prompt's page: details, labels (move, protect), recent versions, the newest version's sections,
 * and organise actions (rename, tags, move, favourite, duplicate, trash).
 */
import {
  type ActionFunctionArgs,
  type LinksFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { LabelsPanel } from "~/components/library/LabelsPanel";
import { PromptContentPanel } from "~/components/library/PromptContentPanel";
import { PromptDetailsPanel } from "~/components/library/PromptDetailsPanel";
import { PromptHeader } from "~/components/library/PromptHeader";
import { RecentVersionsPanel } from "~/components/library/RecentVersionsPanel";
import { UsePromptPanel } from "~/components/library/UsePromptPanel";
import { getDb } from "~/server/db.server";
import { getEnv } from "~/server/env.server";
import { getHistory, loadVersion, requirePrompt } from "~/models/history.server";
import { toPromptSummary } from "~/models/prompt-summary.server";
import { mayMoveProtected, setLabelProtection } from "~/models/labels.server";
import { listChangeRequests, moveOrPropose } from "~/models/label-change-requests.server";
import {
  duplicatePrompt,
  movePrompts,
  promptAccess,
  setFavorite,
  setVisibility,
  trashPrompts,
  updateDetails,
} from "~/models/organize.server";
import { ForbiddenError, InvalidError } from "~/prompt/errors";
import { partialNames } from "~/prompt/partials";
import { parseVersionField } from "~/prompt/save-form";
import { splitTagField } from "~/prompt/tags";
import { pageAction, pageLoad, parseIntent, readForm } from "~/server/http/problem.server";
import libraryStyles from "~/styles/library.css";
import { ActionFeedback } from "~/components/library/ActionFeedback";
import { localRedirect } from "~/server/http/safe-redirect.server";
import { actorOf, requirePromptPage } from "~/server/auth/guard.server";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: libraryStyles }];
export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.prompt.name ?? "Prompt"} · Prompt Builder` },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const principal = await requirePromptPage(request, params.slug);
  const db = getDb();
  const { prompt, versions, events } = await pageLoad(() => getHistory(db, params.slug ?? "", { limit: 8 }));
  const head = await loadVersion(db, prompt.id, prompt.headVersion);
  const access = await promptAccess(db, prompt.id);
  const changeRequests = await listChangeRequests(db, { status: "all", promptId: prompt.id, take: 10 });
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
    canMoveProtected: mayMoveProtected(actorOf(principal, request), getEnv().ENABLE_AUTH),
    changeRequests,
    visibility: access.visibility,
    // Only the owner or an admin may make a prompt private or shared again.
    canShare: getEnv().ENABLE_AUTH && (principal.role === "admin" || access.ownerId === principal.user?.id),
    // Where programs reach this instance, for the "Use this prompt" snippets.
    origin: new URL(request.url).origin,
    exportEnabled: getEnv().ENABLE_EXPORT,
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const principal = await requirePromptPage(request, params.slug, "editor");
  const actor = actorOf(principal, request);
  const db = getDb();
  const form = await readForm(request);
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
      "visibility",
    ] as const);
    const prompt = await requirePrompt(db, params.slug ?? "");
    const here = `/prompts/${prompt.slug}`;
    switch (intent) {
      case "details":
        await updateDetails(
          db,
          prompt.id,
          {
            name: form.get("name"),
            description: form.get("description") ?? "",
            tags: splitTagField(String(form.get("tags") ?? "")),
          },
          actor,
        );
        return localRedirect(`${here}?done=details`);
      case "label": {
        const version = parseVersionField(form, "version");
        const name = labelFormChoice(String(form.get("name") ?? ""), String(form.get("customName") ?? ""));
        // The label form's name field is labelName (the details form has its own "name").
        // A protected label the user may not move becomes a change request for an approver.
        const result = await moveOrPropose(db, {
          promptId: prompt.id,
          name,
          version,
          comment: form.get("comment") ?? "",
          actor,
          authEnabled: env.ENABLE_AUTH,
          nameField: "labelName",
        });
        if (result.kind === "proposed")
          return localRedirect(`${here}/change-requests/${result.request.id}?done=proposed`);
        return localRedirect(`${here}?done=label`);
      }
      case "protect":
      case "unprotect":
        await setLabelProtection(db, {
          promptId: prompt.id,
          name: String(form.get("name") ?? ""),
          protected: intent === "protect",
          actor,
          authEnabled: env.ENABLE_AUTH,
        });
        return localRedirect(`${here}?done=label`);
      case "move":
        await movePrompts(db, [prompt.id], form.get("folder") ?? "", actor);
        return localRedirect(`${here}?done=moved`);
      case "favorite":
        await setFavorite(db, prompt.id, !prompt.favorite);
        return localRedirect(here);
      case "duplicate": {
        const copy = await duplicatePrompt(db, prompt.slug, actor);
        return localRedirect(`/prompts/${copy.prompt.slug}?done=duplicated`);
      }
      case "visibility": {
        const access = await promptAccess(db, prompt.id);
        if (actor.role !== "admin" && access.ownerId !== actor.id)
          throw new ForbiddenError("Only the prompt's owner or an admin may change who sees it.", "visibility");
        await setVisibility(db, prompt.id, form.get("visibility"), actor);
        return localRedirect(`${here}?done=details`);
      }
      case "trash":
        await trashPrompts(db, [prompt.id], new Date(), actor);
        return localRedirect(`/trash?done=${encodeURIComponent(prompt.name)}`);
    }
  });
}

/**
 * The label the form moves: the one picked in the list, or — when the list says "New label" — the
 * one typed. Both at once is refused rather than guessed (the typed one used to win silently).
 */
function labelFormChoice(picked: string, typed: string): string {
  const custom = typed.trim();
  if (picked === "") {
    if (!custom) throw InvalidError.field("labelName", "Type the new label's name, or pick a label from the list.");
    return custom;
  }
  if (custom && custom !== picked)
    throw InvalidError.field(
      "labelName",
      `Pick a label from the list or type a new one, not both: the list says "${picked}" and the new label field "${custom}".`,
    );
  return picked;
}

const DONE: Record<string, string> = {
  details: "Details saved.",
  label: "Label updated.",
  moved: "Moved.",
  duplicated: "This is a copy; edit it freely.",
  restored: "Restored from the trash.",
};

/** The feedback line for `?done=…`; a restore that had to rename says so and why. */
function doneMessage(params: URLSearchParams, name: string): string | undefined {
  const done = params.get("done") ?? "";
  if (done === "restored-renamed") {
    const was = params.get("was") ?? "";
    return `Restored from the trash as "${name}": another prompt in its folder is now called "${was}".`;
  }
  return DONE[done];
}

export default function PromptPage() {
  const {
    prompt,
    versions,
    events,
    head,
    snippets,
    authEnabled,
    visibility,
    canShare,
    canMoveProtected,
    changeRequests,
    origin,
    exportEnabled,
  } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const problem = result?.problem;
  const [params] = useSearchParams();
  const done = doneMessage(params, prompt.name);
  return (
    <div>
      <PromptHeader prompt={prompt} />
      <ActionFeedback done={done} error={problem?.error} />

      <div className="prompt-page">
        <div>
          <PromptContentPanel head={head} description={prompt.description} snippets={snippets} />
          <RecentVersionsPanel slug={prompt.slug} versions={versions} />
        </div>

        <div>
          <LabelsPanel
            prompt={prompt}
            events={events}
            authEnabled={authEnabled}
            canMoveProtected={canMoveProtected}
            changeRequests={changeRequests}
            problem={problem}
          />
          <PromptDetailsPanel prompt={prompt} problem={problem} />
          {canShare ? <VisibilityForm visibility={visibility} /> : null}
        </div>
      </div>
      <div className="use-prompt-row">
        <UsePromptPanel
          origin={origin}
          slug={prompt.slug}
          labels={prompt.labels.map((l) => l.name)}
          variables={head?.variables ?? []}
          authEnabled={authEnabled}
          exportEnabled={exportEnabled}
        />
      </div>
    </div>
  );
}

function VisibilityForm({ visibility }: { visibility: string }) {
  const next = visibility === "private" ? "shared" : "private";
  return (
    <section className="panel card" aria-labelledby="visibility-title">
      <h2 id="visibility-title">Visibility</h2>
      <p className="muted">
        {visibility === "private"
          ? "Private: only you (the owner) and admins see this prompt."
          : "Shared: everyone on this instance can see this prompt."}
      </p>
      <Form method="post">
        <input type="hidden" name="intent" value="visibility" />
        <input type="hidden" name="visibility" value={next} />
        <button type="submit" className="btn">
          {next === "private" ? "Make private" : "Share with everyone"}
        </button>
      </Form>
    </section>
  );
}
