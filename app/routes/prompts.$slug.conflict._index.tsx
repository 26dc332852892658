/**
 * Hand-over from the builder: POST the same fields as the builder's save form (draft as JSON,
 * baseVersion, message). If nobody saved in between it is saved as usual; otherwise the draft is
 * kept and the user is sent to the conflict view (/prompts/:slug/conflict/:id).
 */
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { getDb } from "~/server/db.server";
import { saveOrStash } from "~/models/conflict.server";
import { jsonOrProblem, problem } from "~/models/problems.server";
import { requirePrompt } from "~/models/history.server";
import { isFormError, parseBaseVersion, parseDraftField, parseMessage } from "~/prompt/save-form";

export async function loader({ params }: LoaderFunctionArgs) {
  return redirect(`/prompts/${params.slug}`);
}

export async function action({ request, params }: ActionFunctionArgs) {
  const db = getDb();
  const form = await request.formData();
  const d = parseDraftField(form);
  if (isFormError(d)) return problem(400, d.error, d.issues);
  const base = parseBaseVersion(form);
  if (isFormError(base)) return problem(400, base.error, base.issues);
  const msg = parseMessage(form);
  if (isFormError(msg)) return problem(400, msg.error, msg.issues);
  return jsonOrProblem(async () => {
    const prompt = await requirePrompt(db, params.slug ?? "");
    const result = await saveOrStash(db, { slug: prompt.slug, promptId: prompt.id, baseVersion: base.baseVersion, draft: d.draft, message: msg.message });
    return redirect("saved" in result ? `/prompts/${prompt.slug}/edit?saved=${result.saved}` : result.conflictUrl);
  });
}
