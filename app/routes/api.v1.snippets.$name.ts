/** GET /api/v1/snippets/:name — a snippet with its newest version's template, or ?version=N. */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireApi } from "~/server/auth/guard.server";
import { parseSnippetSelector } from "~/api/schemas";
import { getDb } from "~/server/db.server";
import { apiSnippet } from "~/models/api.server";
import { apiRead, readOnly } from "~/server/http/problem.server";
import { jsonRepresentation } from "~/server/http/etag.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireApi(request, "read");
  return apiRead(request, async () =>
    jsonRepresentation(
      await apiSnippet(getDb(), params.name ?? "", parseSnippetSelector(new URL(request.url).searchParams)),
    ),
  );
}

export const action = readOnly;
