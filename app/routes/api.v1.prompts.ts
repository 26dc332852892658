/**
 * GET /api/v1/prompts?q=&tag=&folder=&label=&favorite=&sort=&cursor=&limit= — list and search.
 * POST /api/v1/prompts — create a prompt with its first version (write scope; Idempotency-Key).
 */
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { API_BASE, MAX_WRITE_BODY_BYTES, parseListQuery, promptCreateRequestSchema, METHODS_OF } from "~/api/schemas";
import { DOTPROMPT_TYPE, dotpromptCreateBody } from "~/api/dotprompt-bodies";
import { getDb } from "~/server/db.server";
import { apiList } from "~/models/api.server";
import { apiRead, methodNotAllowed } from "~/server/http/problem.server";
import { apiWrite } from "~/server/http/api-write.server";
import { apiCreatePrompt } from "~/models/api-write.server";
import { jsonRepresentation } from "~/server/http/etag.server";
import { requireApi, visibilityScope, actorOf } from "~/server/auth/guard.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const principal = await requireApi(request, "read");
  return apiRead(request, async () =>
    jsonRepresentation(
      await apiList(getDb(), parseListQuery(new URL(request.url).searchParams), visibilityScope(principal)),
    ),
  );
}

export async function action({ request }: ActionFunctionArgs) {
  const principal = await requireApi(request, "write");
  if (request.method !== "POST") return methodNotAllowed(METHODS_OF.prompts.error, METHODS_OF.prompts.allow);
  return apiWrite(request, principal, {
    reader: {
      schema: promptCreateRequestSchema,
      maxBytes: MAX_WRITE_BODY_BYTES,
      text: { [DOTPROMPT_TYPE]: dotpromptCreateBody },
    },
    status: 201,
    run: (body) => apiCreatePrompt(getDb(), body, actorOf(principal, request)),
    location: (prompt) => `${API_BASE}/prompts/${prompt.slug}`,
  });
}
