/**
 * POST /api/v1/import/langfuse?policy=skip|new-version|rename&dryRun=true — prompts as Langfuse's public API returns them (docs/langfuse-import.md), mapped to a bundle,
 * into this instance in one transaction: every problem with its path and nothing written, or what
 * was created, skipped, renamed and versioned. Needs the write scope.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { parseImportQuery } from "~/api/transfer-schemas";
import { importBundle } from "~/models/bundle-import.server";
import { requireApi, actorOf } from "~/server/auth/guard.server";
import { getDb } from "~/server/db.server";
import { apiResponse, methodNotAllowed } from "~/server/http/problem.server";
import { readImportRequest } from "~/server/transfer/import-request.server";

export async function loader({ request }: LoaderFunctionArgs) {
  await requireApi(request, "write");
  return methodNotAllowed("POST a JSON array of Langfuse prompts to import them.");
}

export async function action({ request }: ActionFunctionArgs) {
  const principal = await requireApi(request, "write");
  if (request.method !== "POST") return methodNotAllowed("POST a JSON array of Langfuse prompts to import them.");
  return apiResponse(async () => {
    const query = parseImportQuery(new URL(request.url).searchParams);
    const bundle = await readImportRequest(request, "langfuse");
    return importBundle(getDb(), bundle, {
      policy: query.policy,
      dryRun: query.dryRun,
      actor: actorOf(principal, request),
    });
  });
}
