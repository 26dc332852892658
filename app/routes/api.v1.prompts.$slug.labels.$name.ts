/**
 * PUT /api/v1/prompts/:slug/labels/:name — body { version, comment? } (write scope). Moves the label
 * (200), or, when the label is protected, opens a change request instead and answers 202 with it:
 * an API token never moves a protected label, whoever owns it (docs/decisions/105). A token limited
 * to labels may only name one of them. Other methods get 405.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { labelMoveRequestSchema, labelNameParamSchema, MAX_LABEL_MOVE_BODY_BYTES as MAX_BODY } from "~/api/schemas";
import { requirePrompt } from "~/models/history.server";
import { moveOrPropose } from "~/models/label-change-requests.server";
import { parseInput } from "~/prompt/zod-issues";
import { actorOf, assertTokenLabel, requireApi, requirePromptApi } from "~/server/auth/guard.server";
import { getDb } from "~/server/db.server";
import { getEnv } from "~/server/env.server";
import { readJsonBody } from "~/server/http/json-body.server";
import { apiResponse, methodNotAllowed } from "~/server/http/problem.server";
import { MAX_REQUEST_BODY_BYTES } from "~/server/observability/http-instrumentation.server";

export async function loader({ request }: LoaderFunctionArgs) {
  await requireApi(request, "write");
  return methodNotAllowed("Use PUT with a JSON body { version } to move a label.", "PUT");
}

export async function action({ request, params }: ActionFunctionArgs) {
  const principal = await requirePromptApi(request, params.slug, "write");
  if (request.method !== "PUT") return methodNotAllowed("Use PUT with a JSON body { version } to move a label.", "PUT");
  const read = await readJsonBody(request, { maxBytes: MAX_BODY, abandonAfterBytes: MAX_REQUEST_BODY_BYTES });
  if (!read.ok) return read.response;
  const body = read.value;
  return apiResponse(async () => {
    const name = parseInput(labelNameParamSchema, params.name ?? "", { path: ["name"], malformed: true });
    const parsed = parseInput(labelMoveRequestSchema, body, { malformed: true });
    assertTokenLabel(principal, name);
    const db = getDb();
    const prompt = await requirePrompt(db, params.slug ?? "");
    const result = await moveOrPropose(db, {
      promptId: prompt.id,
      name,
      version: parsed.version,
      comment: parsed.comment,
      actor: actorOf(principal, request),
      authEnabled: getEnv().ENABLE_AUTH,
    });
    if (result.kind === "moved")
      return Response.json({ label: name, version: result.to, from: result.from, moved: result.moved });
    const r = result.request;
    const url = `/prompts/${prompt.slug}/change-requests/${r.id}`;
    return Response.json(
      {
        changeRequest: { id: r.id, label: r.labelName, from: r.fromNumber, to: r.toNumber, status: "open", url },
      },
      { status: 202, headers: { Location: url } },
    );
  });
}
