/**
 * POST /api/prompts/:slug/render — body { variables, target?, label? | version? } → the rendered
 * target. 400 for a malformed body, 404 for an unknown prompt/label/version, 422 when the values do
 * not fit the prompt's variables.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { MAX_RENDER_BODY_BYTES as MAX_BODY, renderRequestSchema } from "~/api/schemas";
import { getDb } from "~/db.server";
import { apiRender } from "~/models/api.server";
import { jsonOrProblem, problem } from "~/models/problems.server";

export async function loader(_args: LoaderFunctionArgs) {
  return problem(405, "Use POST with a JSON body to render a prompt.", [{ path: [], message: "method not allowed" }]);
}

export async function action({ request, params }: ActionFunctionArgs) {
  if (request.method !== "POST") return problem(405, "Use POST.", [{ path: [], message: "method not allowed" }]);
  const length = Number(request.headers.get("content-length") ?? 0);
  // Refused unread: `Connection: close`, or the client's next request on this keep-alive
  // connection would meet the rest of this body and hang until the socket is reset.
  if (length > MAX_BODY) return tooLarge({ closeConnection: true });
  const text = await request.text();
  if (text.length > MAX_BODY) return tooLarge({ closeConnection: false });
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : {};
  } catch {
    return problem(400, "The body is not valid JSON.", [{ path: [], message: "must be JSON" }]);
  }
  return jsonOrProblem(async () => {
    const r = await apiRender(getDb(), params.slug ?? "", renderRequestSchema.parse(body));
    if ("problem" in r) return Response.json(r.problem, { status: 422 });
    return r.result;
  });
}

function tooLarge({ closeConnection }: { closeConnection: boolean }) {
  const response = problem(413, "The request body is too large.", [{ path: [], message: `at most ${MAX_BODY} bytes` }]);
  if (closeConnection) response.headers.set("Connection", "close");
  return response;
}
