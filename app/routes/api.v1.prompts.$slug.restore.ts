/** POST /api/v1/prompts/:slug/restore — bring a prompt back from the trash (write scope). */
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { getDb } from "~/server/db.server";
import { apiRestorePrompt } from "~/models/api-write.server";
import { methodNotAllowed } from "~/server/http/problem.server";
import { apiWrite } from "~/server/http/api-write.server";
import { requireApi, requirePromptApi, actorOf } from "~/server/auth/guard.server";

export async function loader({ request }: LoaderFunctionArgs) {
  await requireApi(request, "read");
  return methodNotAllowed("Use POST to restore a prompt from the trash.", "POST");
}

export async function action({ request, params }: ActionFunctionArgs) {
  const principal = await requirePromptApi(request, params.slug, "write");
  if (request.method !== "POST") return methodNotAllowed("Use POST.", "POST");
  return apiWrite(request, principal, {
    run: () => apiRestorePrompt(getDb(), params.slug ?? "", actorOf(principal, request)),
  });
}
