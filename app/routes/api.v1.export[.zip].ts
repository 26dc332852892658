/**
 * GET /api/v1/export.zip?folder= — a folder (with its subfolders) or the whole library as a zip of
 * `.prompt` files with snippets as partials and a manifest (app/library/prompt-zip.ts). 404 when
 * the instance does not allow exports (ENABLE_EXPORT=false).
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { attachment } from "~/server/http/attachment";
import { folderPathSchema } from "~/prompt/draft";
import { parseInput } from "~/prompt/zod-issues";
import { InvalidError } from "~/prompt/errors";
import { promptZip } from "~/library/prompt-zip";
import { getDb } from "~/server/db.server";
import { zipContents } from "~/models/prompt-zip.server";
import { apiResponse, readOnly } from "~/server/http/problem.server";
import { requireApi, visibilityScope } from "~/server/auth/guard.server";
import { requireExportEnabled } from "~/server/http/export-gate.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const principal = await requireApi(request, "read");
  requireExportEnabled(request);
  return apiResponse(async () => {
    const params = new URL(request.url).searchParams;
    const unknown = [...params.keys()].filter((k) => k !== "folder");
    if (unknown.length)
      throw new InvalidError(
        `Unknown query parameter ${unknown.map((k) => `"${k}"`).join(", ")}.`,
        unknown.map((k) => ({ path: [k], message: "unknown parameter; this operation takes folder" })),
        { malformed: true },
      );
    const folder = parseInput(folderPathSchema, params.get("folder") ?? "", { path: ["folder"], malformed: true });
    const zip = promptZip({ ...(await zipContents(getDb(), folder, visibilityScope(principal))), folder });
    const name = folder ? folder.replaceAll("/", "-") : "library";
    return new Response(Buffer.from(zip), {
      headers: {
        "Content-Type": "application/zip",
        "Content-Disposition": attachment(`${name}.zip`),
        "Cache-Control": "no-store",
      },
    });
  });
}

export const action = readOnly;
