/**
 * POST /api/v1/import/zip?policy=skip|new-version|rename&dryRun=true — a zip of `.prompt` files (as
 * GET /api/v1/export.zip makes them, or zipped by hand) into this instance: the zip checked before
 * anything is inflated, converted to a bundle and imported like one, in one transaction; every
 * problem names the zip entry, and nothing is written (decision 129). Needs the write scope.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { parseImportQuery } from "~/api/transfer-schemas";
import { requireApi, actorOf } from "~/server/auth/guard.server";
import { getDb } from "~/server/db.server";
import { getEnv } from "~/server/env.server";
import { apiResponse, methodNotAllowed, problemOf, problemResponse } from "~/server/http/problem.server";
import { readBodyBytes } from "~/server/http/json-body.server";
import { MAX_REQUEST_BODY_BYTES } from "~/server/observability/http-instrumentation.server";
import { importZipBundle, zipToBundle } from "~/models/prompt-zip-import.server";

const HOW = "POST a zip of .prompt files (application/zip) to import it.";
export const ZIP_TYPES = ["application/zip", "application/x-zip-compressed"];

/** The largest zip body: IMPORT_MAX_BYTES, like a bundle (the HTTP layer gives zips the JSON limit, which holds it). */
export function zipMaxBytes(): number {
  return getEnv().IMPORT_MAX_BYTES;
}

export async function loader({ request }: LoaderFunctionArgs) {
  await requireApi(request, "write");
  return methodNotAllowed(HOW);
}

export async function action({ request }: ActionFunctionArgs) {
  const principal = await requireApi(request, "write");
  if (request.method !== "POST") return methodNotAllowed(HOW);
  return apiResponse(async () => {
    const query = parseImportQuery(new URL(request.url).searchParams);
    const type = (request.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
    if (!ZIP_TYPES.includes(type))
      throw problemResponse(
        problemOf(415, "Send the body as application/zip.", [{ path: [], message: "unsupported content type" }]),
      );
    const read = await readBodyBytes(request, { maxBytes: zipMaxBytes(), abandonAfterBytes: MAX_REQUEST_BODY_BYTES });
    if (!read.ok) throw read.response;
    const db = getDb();
    const zip = await zipToBundle(db, read.bytes);
    return importZipBundle(db, zip, { policy: query.policy, dryRun: query.dryRun, actor: actorOf(principal, request) });
  });
}
