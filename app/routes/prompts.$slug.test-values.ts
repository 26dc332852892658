/**
 * POST /prompts/:slug/test-values — body { values: { name: raw } }: replaces the prompt's default set
 * of saved test values. The builder sends it as the preview values change, so another browser opens
 * the prompt with them (its localStorage copy is only a cache).
 */
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { requirePromptPage, requireUser } from "~/server/auth/guard.server";
import { z } from "zod";
import { getDb } from "~/server/db.server";
import { readJsonBody } from "~/server/http/json-body.server";
import { MAX_REQUEST_BODY_BYTES } from "~/server/observability/http-instrumentation.server";
import { saveDefaultTestValues } from "~/models/test-values.server";
import { parseInput } from "~/prompt/zod-issues";
import { apiResponse, methodNotAllowed } from "~/server/http/problem.server";

const bodySchema = z.object({ values: z.unknown() });

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request);
  return methodNotAllowed("Use POST with { values }.");
}

export async function action({ request, params }: ActionFunctionArgs) {
  await requirePromptPage(request, params.slug, "editor");
  if (request.method !== "POST") return methodNotAllowed("Use POST.");
  const read = await readJsonBody(request, { maxBytes: 2_000_000, abandonAfterBytes: MAX_REQUEST_BODY_BYTES });
  if (!read.ok) return read.response;
  return apiResponse(async () => {
    const { values } = parseInput(bodySchema, read.value, { malformed: true });
    const saved = await saveDefaultTestValues(getDb(), params.slug ?? "", values);
    return Response.json({ values: saved }, { headers: { "Cache-Control": "no-store" } });
  });
}
