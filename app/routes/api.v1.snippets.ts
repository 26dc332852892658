/** GET /api/v1/snippets — every live snippet, by name. */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { parseNoQuery } from "~/api/schemas";
import { getDb } from "~/server/db.server";
import { apiSnippetList } from "~/models/api.server";
import { apiRead, readOnly } from "~/server/http/problem.server";
import { jsonRepresentation } from "~/server/http/etag.server";
import { requireApi } from "~/server/auth/guard.server";

export async function loader({ request }: LoaderFunctionArgs) {
  await requireApi(request, "read");
  return apiRead(request, async () => {
    parseNoQuery(new URL(request.url).searchParams);
    return jsonRepresentation(await apiSnippetList(getDb()));
  });
}

export const action = readOnly;
