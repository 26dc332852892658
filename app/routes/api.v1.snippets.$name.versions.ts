/**
 * POST /api/v1/snippets/:name/versions — a new version of a snippet on top of `baseVersion` (write
 * scope; Idempotency-Key). A newer head is a 409 with both versions in the body.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { API_BASE, MAX_WRITE_BODY_BYTES, snippetVersionRequestSchema } from "~/api/schemas";
import { getDb } from "~/server/db.server";
import { apiAddSnippetVersion } from "~/models/api-write.server";
import { methodNotAllowed } from "~/server/http/problem.server";
import { apiWrite } from "~/server/http/api-write.server";
import { requireApi, actorOf } from "~/server/auth/guard.server";

export async function loader({ request }: LoaderFunctionArgs) {
  await requireApi(request, "read");
  return methodNotAllowed("Use POST to add a version; GET the snippet for its versions.", "POST");
}

export async function action({ request, params }: ActionFunctionArgs) {
  const principal = await requireApi(request, "write");
  if (request.method !== "POST") return methodNotAllowed("Use POST.", "POST");
  const name = params.name ?? "";
  return apiWrite(request, principal, {
    reader: { schema: snippetVersionRequestSchema, maxBytes: MAX_WRITE_BODY_BYTES },
    status: 201,
    run: (body) => apiAddSnippetVersion(getDb(), name, body, actorOf(principal, request)),
    location: (snippet) => `${API_BASE}/snippets/${encodeURIComponent(snippet.name)}?version=${snippet.version.number}`,
  });
}
