/**
 * Every /api/* path no other route serves: the API answers JSON, never the HTML 404 page. The
 * unversioned paths of before (/api/prompts…, /api/openapi.json) answer 308 to /api/v1 for one
 * release (308 keeps the method and body, so a render POST follows it); docs/decisions/080.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { API_BASE } from "~/api/schemas";
import { problemOf, problemResponse } from "~/server/http/problem.server";
import { requireApi } from "~/server/auth/guard.server";

const LEGACY = /^\/api\/(prompts(?:\/.*)?|openapi\.json)$/;

function answer(request: Request): Response {
  const url = new URL(request.url);
  const legacy = LEGACY.exec(url.pathname);
  if (legacy) {
    const location = `${API_BASE}/${legacy[1]}${url.search}`;
    return new Response(null, {
      status: 308,
      headers: {
        Location: location,
        Deprecation: "true",
        Link: `<${location}>; rel="successor-version"`,
        "Cache-Control": "no-store",
      },
    });
  }
  return problemResponse(
    problemOf(404, "There is no such API path.", [
      { path: [], message: `see ${API_BASE}/openapi.json for the operations this API has` },
    ]),
  );
}

export async function loader({ request }: LoaderFunctionArgs) {
  await requireApi(request, "read");
  return answer(request);
}

export async function action({ request }: ActionFunctionArgs) {
  await requireApi(request, "read");
  return answer(request);
}
