/**
 * GET /api/v1/prompts/:slug/export.md?label=|version= — a version as readable Markdown
 * (app/transfer/markdown.ts), downloaded as a file. 404 with ENABLE_EXPORT=false.
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { attachment } from "~/server/http/attachment";
import { parseMarkdownQuery } from "~/api/transfer-schemas";
import { apiGet } from "~/models/api.server";
import { requirePromptApi } from "~/server/auth/guard.server";
import { getDb } from "~/server/db.server";
import { apiResponse, readOnly } from "~/server/http/problem.server";
import { requireExportEnabled } from "~/server/http/export-gate.server";
import { versionMarkdown } from "~/transfer/markdown";

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requirePromptApi(request, params.slug, "read");
  requireExportEnabled(request);
  return apiResponse(async () => {
    const selector = parseMarkdownQuery(new URL(request.url).searchParams);
    const p = await apiGet(getDb(), params.slug ?? "", selector);
    const v = p.version;
    const markdown = versionMarkdown({
      name: p.name,
      slug: p.slug,
      description: p.description,
      version: v.number,
      message: v.message,
      createdAt: v.createdAt,
      labels: Object.entries(p.labels)
        .filter(([, n]) => n === v.number)
        .map(([name]) => name)
        .sort(),
      tags: p.tags,
      draft: { sections: v.sections, variables: v.variables, modelSettings: v.modelSettings },
    });
    return new Response(markdown, {
      headers: {
        "Content-Type": "text/markdown; charset=utf-8",
        "Content-Disposition": attachment(`${p.slug}-v${v.number}.md`),
        "Cache-Control": "no-store",
      },
    });
  });
}

export const action = readOnly;
