/**
 * POST /api/v1/prompts/:slug/labels/:name — point a label at a version (write scope; a token limited
 * to labels may move only those). Through the same moveLabel as the prompt page, so its rules apply:
 * a protected label is never moved by a token (docs/decisions/125).
 */
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { labelMoveRequestSchema, MAX_WRITE_BODY_BYTES } from "~/api/schemas";
import { getDb } from "~/server/db.server";
import { getEnv } from "~/server/env.server";
import { apiMoveLabel } from "~/models/api-write.server";
import { methodNotAllowed } from "~/server/http/problem.server";
import { apiWrite } from "~/server/http/api-write.server";
import { actorOf, assertTokenLabel, requireApi, requirePromptApi } from "~/server/auth/guard.server";

export async function loader({ request }: LoaderFunctionArgs) {
  await requireApi(request, "read");
  return methodNotAllowed("Use POST to move a label; GET the prompt for its labels.", "POST");
}

export async function action({ request, params }: ActionFunctionArgs) {
  const principal = await requirePromptApi(request, params.slug, "write");
  if (request.method !== "POST") return methodNotAllowed("Use POST.", "POST");
  const name = params.name ?? "";
  assertTokenLabel(principal, name);
  const actor = actorOf(principal);
  return apiWrite(request, principal, {
    reader: { schema: labelMoveRequestSchema, maxBytes: MAX_WRITE_BODY_BYTES },
    run: (body) =>
      apiMoveLabel(getDb(), {
        slug: params.slug ?? "",
        name,
        version: body.version,
        // A token acts as an editor at most here: a protected label moves only by an admin in person.
        actor: principal.kind === "token" && actor.role === "admin" ? { ...actor, role: "editor" } : actor,
        authEnabled: getEnv().ENABLE_AUTH,
      }),
  });
}
