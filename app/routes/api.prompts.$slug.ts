/** GET /api/prompts/:slug — the newest version, or ?label=production, or ?version=N. */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { parsePromptSelector } from "~/api/schemas";
import { getDb } from "~/server/db.server";
import { apiGet } from "~/models/api.server";
import { apiResponse } from "~/server/http/problem.server";
import { requirePromptApi } from "~/server/auth/guard.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requirePromptApi(request, params.slug, "read");
  return apiResponse(() => apiGet(getDb(), params.slug ?? "", parsePromptSelector(new URL(request.url).searchParams)));
}
