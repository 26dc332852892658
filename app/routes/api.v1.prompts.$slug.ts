/**
 * GET /api/v1/prompts/:slug — the newest version, or ?label=production, or ?version=N; ETag and 304.
 * DELETE /api/v1/prompts/:slug — move the prompt to the trash (write scope).
 */
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { parsePromptSelector, METHODS_OF } from "~/api/schemas";
import { getDb } from "~/server/db.server";
import { apiGetRepresentation } from "~/models/api.server";
import { apiRead, methodNotAllowed } from "~/server/http/problem.server";
import { apiWrite } from "~/server/http/api-write.server";
import { apiTrashPrompt } from "~/models/api-write.server";
import { requirePromptApi, actorOf } from "~/server/auth/guard.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requirePromptApi(request, params.slug, "read");
  return apiRead(request, () =>
    apiGetRepresentation(getDb(), params.slug ?? "", parsePromptSelector(new URL(request.url).searchParams)),
  );
}

export async function action({ request, params }: ActionFunctionArgs) {
  const principal = await requirePromptApi(request, params.slug, "write");
  if (request.method !== "DELETE") return methodNotAllowed(METHODS_OF.prompt.error, METHODS_OF.prompt.allow);
  return apiWrite(request, principal, {
    run: () => apiTrashPrompt(getDb(), params.slug ?? "", actorOf(principal, request)),
  });
}
