/**
 * GET /api/v1/export?prompt=slug&prompt=…|folder=path&trash=include — the library, a selection or a
 * folder as a bundle (docs/bundle-format.md), only what the caller may read. 404 with ENABLE_EXPORT=false.
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { attachment } from "~/server/http/attachment";
import { parseExportQuery } from "~/api/transfer-schemas";
import { exportBundle } from "~/models/bundle-export.server";
import { requireApi, visibilityScope } from "~/server/auth/guard.server";
import { getDb } from "~/server/db.server";
import { getEnv } from "~/server/env.server";
import { apiResponse, readOnly } from "~/server/http/problem.server";
import { requireExportEnabled } from "~/server/http/export-gate.server";
import { serializeBundle } from "~/transfer/bundle";

export async function loader({ request }: LoaderFunctionArgs) {
  const principal = await requireApi(request, "read");
  requireExportEnabled(request);
  return apiResponse(async () => {
    const query = parseExportQuery(new URL(request.url).searchParams);
    const bundle = await exportBundle(
      getDb(),
      { slugs: query.prompt, folder: query.folder || undefined, includeTrash: query.trash === "include" },
      { scope: visibilityScope(principal), maxVersions: getEnv().EXPORT_MAX_VERSIONS },
    );
    const name =
      query.prompt.length === 1 ? query.prompt[0] : query.folder ? query.folder.replaceAll("/", "-") : "library";
    return new Response(serializeBundle(bundle), {
      headers: {
        "Content-Type": "application/json; charset=utf-8",
        "Content-Disposition": attachment(`${name}.bundle.json`),
        "Cache-Control": "no-store",
      },
    });
  });
}

export const action = readOnly;
