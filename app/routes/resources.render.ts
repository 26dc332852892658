/**
 * POST /resources/render — renders section templates with dotprompt on the server. The builder
 * renders in its Web Worker (whose CSP allows the `new Function` Handlebars needs; the page's does
 * not). Only when that worker cannot start (an old browser, or one that gives workers the page's
 * CSP) does it send the templates here instead (only the sections that changed: results are
 * cached by template and values). Side-effect free.
 * Snippets come from the database, never from the request: the partial registry is shared.
 */
import { data, type ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { getDb } from "~/server/db.server";
import { getSnippetTemplates } from "~/models/prompt-store.server";
import { LIMITS, variableValueSchema } from "~/prompt/draft";
import { renderTemplatesInPool } from "~/server/render-pool/render-pool.server";
import { problem } from "~/models/problems.server";
import { readJsonBody } from "~/server/http/json-body.server";
import { MAX_REQUEST_BODY_BYTES } from "~/server/observability/http-instrumentation.server";
import { zodIssues } from "~/prompt/zod-issues";

const MAX_BODY_BYTES = 2_000_000;

const requestSchema = z.object({
  jobs: z
    .array(
      z.object({
        template: z.string().max(LIMITS.sectionTemplateChars),
        input: z.record(z.string(), variableValueSchema),
      }),
    )
    .max(LIMITS.sections),
});

export async function loader() {
  return data({ error: "Use POST with { jobs: [{ template, input }] }.", issues: [] }, { status: 405, headers: { Allow: "POST" } });
}

export async function action({ request }: ActionFunctionArgs) {
  if (request.method !== "POST") return data({ error: "Use POST.", issues: [] }, { status: 405, headers: { Allow: "POST" } });
  const read = await readJsonBody(request, { maxBytes: MAX_BODY_BYTES, abandonAfterBytes: MAX_REQUEST_BODY_BYTES, problem });
  if (!read.ok) return read.response;
  const body = read.value;
  const parsed = requestSchema.safeParse(body);
  if (!parsed.success) {
    return data(
      { error: "Invalid render request.", issues: zodIssues(parsed.error) },
      { status: 400 },
    );
  }
  const partials = await getSnippetTemplates(getDb()).catch(() => ({}));
  const outcomes = await renderTemplatesInPool(parsed.data.jobs, partials);
  return data({ outcomes }, { headers: { "Cache-Control": "no-store" } });
}
