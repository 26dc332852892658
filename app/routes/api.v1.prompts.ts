/** GET /api/v1/prompts?q=&tag=&folder=&label=&favorite=&sort=&cursor=&limit= — list and search. */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { parseListQuery } from "~/api/schemas";
import { getDb } from "~/server/db.server";
import { apiList } from "~/models/api.server";
import { apiRead, readOnly } from "~/server/http/problem.server";
import { jsonRepresentation } from "~/server/http/etag.server";
import { requireApi, visibilityScope } from "~/server/auth/guard.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const principal = await requireApi(request, "read");
  return apiRead(request, async () =>
    jsonRepresentation(
      await apiList(getDb(), parseListQuery(new URL(request.url).searchParams), visibilityScope(principal)),
    ),
  );
}

export const action = readOnly;
