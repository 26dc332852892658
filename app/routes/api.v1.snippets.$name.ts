/**
 * GET /api/v1/snippets/:name — a snippet with its newest version's template, or ?version=N.
 * DELETE — move the snippet to the trash (write scope; refused while a labelled version pins it).
 */
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { requireApi, actorOf } from "~/server/auth/guard.server";
import { parseSnippetSelector, METHODS_OF } from "~/api/schemas";
import { getDb } from "~/server/db.server";
import { apiSnippet } from "~/models/api.server";
import { apiRead, methodNotAllowed } from "~/server/http/problem.server";
import { apiWrite } from "~/server/http/api-write.server";
import { apiTrashSnippet } from "~/models/api-write.server";
import { jsonRepresentation } from "~/server/http/etag.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireApi(request, "read");
  return apiRead(request, async () =>
    jsonRepresentation(
      await apiSnippet(getDb(), params.name ?? "", parseSnippetSelector(new URL(request.url).searchParams)),
    ),
  );
}

export async function action({ request, params }: ActionFunctionArgs) {
  const principal = await requireApi(request, "write");
  if (request.method !== "DELETE") return methodNotAllowed(METHODS_OF.snippet.error, METHODS_OF.snippet.allow);
  return apiWrite(request, principal, {
    run: () => apiTrashSnippet(getDb(), params.name ?? "", actorOf(principal, request)),
  });
}
