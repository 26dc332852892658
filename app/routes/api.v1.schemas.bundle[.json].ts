/** GET /api/v1/schemas/bundle.json — the JSON Schema of the bundle format, generated from its zod schema. */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireApi } from "~/server/auth/guard.server";
import { readOnly } from "~/server/http/problem.server";
import { bundleJsonSchema } from "~/transfer/bundle";

let cached: Record<string, unknown> | undefined;

export async function loader({ request }: LoaderFunctionArgs) {
  await requireApi(request, "read");
  cached ??= bundleJsonSchema();
  return Response.json(cached, {
    headers: { "Cache-Control": "public, max-age=300", "Content-Type": "application/json; charset=utf-8" },
  });
}

export const action = readOnly;
