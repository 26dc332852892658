/** GET /api/prompts?q=&tag=&folder=&label=&favorite=&sort=&cursor=&limit= — list and search. */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { parseListQuery } from "~/api/schemas";
import { getDb } from "~/server/db.server";
import { apiList } from "~/models/api.server";
import { jsonOrProblem } from "~/models/problems.server";

export async function loader({ request }: LoaderFunctionArgs) {
  return jsonOrProblem(() => apiList(getDb(), parseListQuery(new URL(request.url).searchParams)));
}
