/**
 * Hand-over from the builder: POST the same fields as the builder's save form (draft as JSON,
 * baseVersion, message). If nobody saved in between it is saved as usual; otherwise the draft is
 * kept and the user is sent to the conflict view (/prompts/:slug/conflict/:id).
 */
import { type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { getDb } from "~/server/db.server";
import { saveOrStash } from "~/models/conflict.server";
import { requirePrompt } from "~/models/history.server";
import { parseBaseVersion, parseDraftField, parseMessage } from "~/prompt/save-form";
import { apiResponse, readForm } from "~/server/http/problem.server";
import { actorOf, requirePromptPage } from "~/server/auth/guard.server";
import { localRedirect } from "~/server/http/safe-redirect.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requirePromptPage(request, params.slug);
  return localRedirect(`/prompts/${params.slug}`);
}

export async function action({ request, params }: ActionFunctionArgs) {
  const principal = await requirePromptPage(request, params.slug, "editor");
  const db = getDb();
  const form = await readForm(request);
  return apiResponse(async () => {
    const draft = parseDraftField(form);
    const baseVersion = parseBaseVersion(form);
    const message = parseMessage(form);
    const prompt = await requirePrompt(db, params.slug ?? "");
    const result = await saveOrStash(db, {
      slug: prompt.slug,
      promptId: prompt.id,
      baseVersion,
      draft,
      message,
      actor: actorOf(principal, request),
    });
    return localRedirect("saved" in result ? `/prompts/${prompt.slug}/edit?saved=${result.saved}` : result.conflictUrl);
  });
}
