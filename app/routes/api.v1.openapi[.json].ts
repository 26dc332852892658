/** GET /api/v1/openapi.json — the OpenAPI 3.1 document of the JSON API, generated from its zod schemas. */
import { openApiDocument } from "~/api/openapi";
import { getEnv } from "~/server/env.server";
import { readOnly } from "~/server/http/problem.server";
import { requireApi } from "~/server/auth/guard.server";
import type { LoaderFunctionArgs } from "@remix-run/node";

export async function loader({ request }: LoaderFunctionArgs) {
  await requireApi(request, "read");
  return Response.json(openApiDocument(getEnv().APP_VERSION), {
    headers: { "Cache-Control": "public, max-age=300", "Content-Type": "application/json; charset=utf-8" },
  });
}

export const action = readOnly;
