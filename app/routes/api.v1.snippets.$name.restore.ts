/** POST /api/v1/snippets/:name/restore — bring a snippet back from the trash (write scope). */
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { getDb } from "~/server/db.server";
import { apiRestoreSnippet } from "~/models/api-write.server";
import { methodNotAllowed } from "~/server/http/problem.server";
import { apiWrite } from "~/server/http/api-write.server";
import { requireApi, actorOf } from "~/server/auth/guard.server";

export async function loader({ request }: LoaderFunctionArgs) {
  await requireApi(request, "read");
  return methodNotAllowed("Use POST to restore a snippet from the trash.", "POST");
}

export async function action({ request, params }: ActionFunctionArgs) {
  const principal = await requireApi(request, "write");
  if (request.method !== "POST") return methodNotAllowed("Use POST.", "POST");
  return apiWrite(request, principal, {
    run: () => apiRestoreSnippet(getDb(), params.name ?? "", actorOf(principal, request)),
  });
}
