/**
 * POST /resources/render — renders section templates with dotprompt on the server. The builder
 * renders in its Web Worker (whose CSP allows the `new Function` Handlebars needs; the page's does
 * not). Only when that worker cannot start (an old browser, or one that gives workers the page's
 * CSP) does it send the templates here instead (only the sections that changed: results are
 * cached by template and values). Side-effect free.
 * Snippets come from the database, never from the request: the partial registry is shared.
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { getDb } from "~/server/db.server";
import { getSnippetTemplates } from "~/models/prompt-store.server";
import { LIMITS, variableValueSchema } from "~/prompt/draft";
import { renderTemplatesInPool } from "~/server/render-pool/render-pool.server";
import { readJsonBody } from "~/server/http/json-body.server";
import { MAX_REQUEST_BODY_BYTES } from "~/server/observability/http-instrumentation.server";
import { parseInput } from "~/prompt/zod-issues";
import { apiResponse, methodNotAllowed } from "~/server/http/problem.server";
import { requireUser } from "~/server/auth/guard.server";

const MAX_BODY_BYTES = 2_000_000;

const requestSchema = z.object({
  jobs: z
    .array(
      z.object({
        // A section, or the whole prompt (its sections joined): the body size limit bounds both.
        template: z.string().max(MAX_BODY_BYTES),
        input: z.record(z.string(), variableValueSchema),
        // dotprompt's history ({{history}}) and whether to return its messages (the chat targets).
        history: z
          .array(
            z.object({
              role: z.enum(["system", "user", "model"]),
              content: z.array(z.object({ text: z.string().max(LIMITS.sectionTemplateChars) })).max(1),
            }),
          )
          .max(1000)
          .optional(),
        messages: z.literal(true).optional(),
      }),
    )
    // The sections and the whole prompt (the chat targets' conversation).
    .max(LIMITS.sections + 1),
});

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request);
  return methodNotAllowed("Use POST with { jobs: [{ template, input }] }.");
}

export async function action({ request }: ActionFunctionArgs) {
  await requireUser(request);
  if (request.method !== "POST") return methodNotAllowed("Use POST.");
  const read = await readJsonBody(request, { maxBytes: MAX_BODY_BYTES, abandonAfterBytes: MAX_REQUEST_BODY_BYTES });
  if (!read.ok) return read.response;
  const body = read.value;
  return apiResponse(async () => {
    const { jobs } = parseInput(requestSchema, body, { message: "Invalid render request.", malformed: true });
    const partials = await getSnippetTemplates(getDb()).catch(() => ({}));
    const outcomes = await renderTemplatesInPool(jobs, partials);
    return Response.json({ outcomes }, { headers: { "Cache-Control": "no-store" } });
  });
}
