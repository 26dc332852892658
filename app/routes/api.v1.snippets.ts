/** GET /api/v1/snippets — every live snippet, by name. POST — create a snippet (write scope). */
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { API_BASE, MAX_WRITE_BODY_BYTES, parseNoQuery, snippetCreateRequestSchema, METHODS_OF } from "~/api/schemas";
import { getDb } from "~/server/db.server";
import { apiSnippetList } from "~/models/api.server";
import { apiRead, methodNotAllowed } from "~/server/http/problem.server";
import { apiWrite } from "~/server/http/api-write.server";
import { apiCreateSnippet } from "~/models/api-write.server";
import { jsonRepresentation } from "~/server/http/etag.server";
import { requireApi, actorOf } from "~/server/auth/guard.server";

export async function loader({ request }: LoaderFunctionArgs) {
  await requireApi(request, "read");
  return apiRead(request, async () => {
    parseNoQuery(new URL(request.url).searchParams);
    return jsonRepresentation(await apiSnippetList(getDb()));
  });
}

export async function action({ request }: ActionFunctionArgs) {
  const principal = await requireApi(request, "write");
  if (request.method !== "POST") return methodNotAllowed(METHODS_OF.snippets.error, METHODS_OF.snippets.allow);
  return apiWrite(request, principal, {
    reader: { schema: snippetCreateRequestSchema, maxBytes: MAX_WRITE_BODY_BYTES },
    status: 201,
    run: (body) => apiCreateSnippet(getDb(), body, actorOf(principal, request)),
    location: (snippet) => `${API_BASE}/snippets/${encodeURIComponent(snippet.name)}`,
  });
}
