/** GET /api/v1/prompts/:slug — the newest version, or ?label=production, or ?version=N; ETag and 304. */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { parsePromptSelector } from "~/api/schemas";
import { getDb } from "~/server/db.server";
import { apiGetRepresentation } from "~/models/api.server";
import { apiRead, readOnly } from "~/server/http/problem.server";
import { requirePromptApi } from "~/server/auth/guard.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requirePromptApi(request, params.slug, "read");
  return apiRead(request, () =>
    apiGetRepresentation(getDb(), params.slug ?? "", parsePromptSelector(new URL(request.url).searchParams)),
  );
}

export const action = readOnly;
