/** GET /api/prompts?q=&tag=&folder=&label=&favorite=&sort=&cursor=&limit= — list and search. */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { parseListQuery } from "~/api/schemas";
import { getDb } from "~/server/db.server";
import { apiList } from "~/models/api.server";
import { apiResponse } from "~/server/http/problem.server";
import { requireApi, visibilityScope } from "~/server/auth/guard.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const principal = await requireApi(request, "read");
  return apiResponse(() =>
    apiList(getDb(), parseListQuery(new URL(request.url).searchParams), visibilityScope(principal)),
  );
}
