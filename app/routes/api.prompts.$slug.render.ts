/**
 * POST /api/prompts/:slug/render — body { variables, target?, label? | version? } → the rendered
 * target. 400 for a malformed body, 404 for an unknown prompt/label/version, 422 when the values do
 * not fit the prompt's variables.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { MAX_RENDER_BODY_BYTES as MAX_BODY, renderRequestSchema } from "~/api/schemas";
import { getDb } from "~/server/db.server";
import { readJsonBody } from "~/server/http/json-body.server";
import { MAX_REQUEST_BODY_BYTES } from "~/server/observability/http-instrumentation.server";
import { apiRender } from "~/models/api.server";
import { jsonOrProblem, problem } from "~/models/problems.server";

export async function loader(_args: LoaderFunctionArgs) {
  return problem(405, "Use POST with a JSON body to render a prompt.", [{ path: [], message: "method not allowed" }]);
}

export async function action({ request, params }: ActionFunctionArgs) {
  if (request.method !== "POST") return problem(405, "Use POST.", [{ path: [], message: "method not allowed" }]);
  const read = await readJsonBody(request, { maxBytes: MAX_BODY, abandonAfterBytes: MAX_REQUEST_BODY_BYTES, problem });
  if (!read.ok) return read.response;
  const body = read.value;
  return jsonOrProblem(async () => {
    const r = await apiRender(getDb(), params.slug ?? "", renderRequestSchema.parse(body));
    if ("problem" in r) return Response.json(r.problem, { status: 422 });
    return r.result;
  });
}
