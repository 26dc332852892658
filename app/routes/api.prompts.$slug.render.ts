/**
 * POST /api/prompts/:slug/render — body { variables, target?, label? | version? } → the rendered
 * target. 400 for a malformed body, 404 for an unknown prompt/label/version, 422 when the values do
 * not fit the prompt's variables.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { getDb } from "~/db.server";
import { apiRender } from "~/models/api.server";
import { jsonOrProblem, problem } from "~/models/problems.server";

const MAX_BODY = 1_000_000;

export async function loader(_args: LoaderFunctionArgs) {
  return problem(405, "Use POST with a JSON body to render a prompt.", [{ path: [], message: "method not allowed" }]);
}

export async function action({ request, params }: ActionFunctionArgs) {
  if (request.method !== "POST") return problem(405, "Use POST.", [{ path: [], message: "method not allowed" }]);
  const length = Number(request.headers.get("content-length") ?? 0);
  if (length > MAX_BODY) return problem(413, "The request body is too large.", [{ path: [], message: `at most ${MAX_BODY} bytes` }]);
  const text = await request.text();
  if (text.length > MAX_BODY) return problem(413, "The request body is too large.", [{ path: [], message: `at most ${MAX_BODY} bytes` }]);
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : {};
  } catch {
    return problem(400, "The body is not valid JSON.", [{ path: [], message: "must be JSON" }]);
  }
  return jsonOrProblem(async () => {
    const r = await apiRender(getDb(), params.slug ?? "", body);
    if ("problem" in r) return Response.json(r.problem, { status: 422 });
    return r.result;
  });
}
