/**
 * POST /api/v1/prompts/:slug/versions — a new version on top of `baseVersion` (write scope;
 * Idempotency-Key). A newer head is a 409 with both versions in the body; nothing is saved.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { API_BASE, MAX_WRITE_BODY_BYTES, versionCreateRequestSchema } from "~/api/schemas";
import { DOTPROMPT_TYPE, dotpromptVersionBody } from "~/api/dotprompt-bodies";
import { getDb } from "~/server/db.server";
import { apiAddVersion } from "~/models/api-write.server";
import { methodNotAllowed } from "~/server/http/problem.server";
import { apiWrite } from "~/server/http/api-write.server";
import { requireApi, requirePromptApi, actorOf } from "~/server/auth/guard.server";

export async function loader({ request }: LoaderFunctionArgs) {
  await requireApi(request, "read");
  return methodNotAllowed("Use POST to add a version; GET the prompt for its versions.", "POST");
}

export async function action({ request, params }: ActionFunctionArgs) {
  const principal = await requirePromptApi(request, params.slug, "write");
  if (request.method !== "POST") return methodNotAllowed("Use POST.", "POST");
  return apiWrite(request, principal, {
    reader: {
      schema: versionCreateRequestSchema,
      maxBytes: MAX_WRITE_BODY_BYTES,
      text: { [DOTPROMPT_TYPE]: dotpromptVersionBody },
    },
    status: 201,
    run: (body) => apiAddVersion(getDb(), params.slug ?? "", body, actorOf(principal, request)),
    location: (prompt) => `${API_BASE}/prompts/${prompt.slug}?version=${prompt.version.number}`,
  });
}
