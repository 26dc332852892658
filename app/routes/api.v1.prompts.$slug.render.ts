/**
 * POST /api/v1/prompts/:slug/render — body { variables, target?, label? | version?, strict? } → the
 * rendered target. 400 for a malformed body, 404 for an unknown prompt/label/version, 422 when the
 * values do not fit the prompt's variables (or name one it does not have, unless strict is false).
 */
import type { ActionFunctionArgs } from "@remix-run/node";
import { MAX_RENDER_BODY_BYTES as MAX_BODY, renderRequestSchema } from "~/api/schemas";
import { getDb } from "~/server/db.server";
import { readJsonBody } from "~/server/http/json-body.server";
import { MAX_REQUEST_BODY_BYTES } from "~/server/observability/http-instrumentation.server";
import { apiRenderBody } from "~/models/api.server";
import { parseInput } from "~/prompt/zod-issues";
import { apiResponse, methodNotAllowed } from "~/server/http/problem.server";

export async function loader() {
  return methodNotAllowed("Use POST with a JSON body to render a prompt.", "POST");
}

export async function action({ request, params }: ActionFunctionArgs) {
  if (request.method !== "POST") return methodNotAllowed("Use POST.", "POST");
  const read = await readJsonBody(request, { maxBytes: MAX_BODY, abandonAfterBytes: MAX_REQUEST_BODY_BYTES });
  if (!read.ok) return read.response;
  const body = read.value;
  return apiResponse(
    async () =>
      new Response(
        await apiRenderBody(getDb(), params.slug ?? "", parseInput(renderRequestSchema, body, { malformed: true })),
        { headers: { "Content-Type": "application/json; charset=utf-8" } },
      ),
  );
}
