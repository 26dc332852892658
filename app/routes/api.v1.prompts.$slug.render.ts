/**
 * POST /api/v1/prompts/:slug/render — body { variables, target?, label? | version?, strict? } → the
 * rendered target. 400 for a malformed body, 404 for an unknown prompt/label/version, 422 when the
 * values do not fit the prompt's variables (or name one it does not have, unless strict is false).
 */
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { MAX_RENDER_BODY_BYTES as MAX_BODY, renderRequestSchema } from "~/api/schemas";
import { getDb } from "~/server/db.server";
import { countRender } from "~/server/render-counts.server";
import { readJsonBody } from "~/server/http/json-body.server";
import { MAX_REQUEST_BODY_BYTES } from "~/server/observability/http-instrumentation.server";
import { apiRenderBody } from "~/models/api.server";
import { parseInput } from "~/prompt/zod-issues";
import { apiResponse, methodNotAllowed } from "~/server/http/problem.server";
import { assertTokenLabel, requireApi, requirePromptApi } from "~/server/auth/guard.server";

export async function loader({ request }: LoaderFunctionArgs) {
  await requireApi(request, "render");
  return methodNotAllowed("Use POST with a JSON body to render a prompt.", "POST");
}

export async function action({ request, params }: ActionFunctionArgs) {
  const principal = await requirePromptApi(request, params.slug, "render");
  if (request.method !== "POST") return methodNotAllowed("Use POST.", "POST");
  const read = await readJsonBody(request, { maxBytes: MAX_BODY, abandonAfterBytes: MAX_REQUEST_BODY_BYTES });
  if (!read.ok) return read.response;
  const body = read.value;
  return apiResponse(async () => {
    const parsed = parseInput(renderRequestSchema, body, { malformed: true });
    assertTokenLabel(principal, parsed.label);
    const rendered = await apiRenderBody(getDb(), params.slug ?? "", parsed);
    countRender("api");
    return new Response(rendered, {
      headers: { "Content-Type": "application/json; charset=utf-8" },
    });
  });
}
