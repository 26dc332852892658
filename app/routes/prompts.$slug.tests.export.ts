/** A prompt's test cases as a CSV or JSONL download (issue 14). */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { attachment } from "~/server/http/attachment";
import { requirePrompt } from "~/models/history.server";
import { exportCases } from "~/models/test-cases.server";
import { InvalidError } from "~/prompt/errors";
import { requirePromptPage } from "~/server/auth/guard.server";
import { getDb } from "~/server/db.server";
import { apiResponse } from "~/server/http/problem.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requirePromptPage(request, params.slug);
  return apiResponse(async () => {
    const format = new URL(request.url).searchParams.get("format") ?? "csv";
    if (format !== "csv" && format !== "jsonl")
      throw InvalidError.field("format", "Export as csv or jsonl.", { malformed: true });
    const db = getDb();
    const prompt = await requirePrompt(db, params.slug ?? "");
    const body = await exportCases(db, prompt.id, format);
    return new Response(body, {
      headers: {
        "Content-Type": format === "csv" ? "text/csv; charset=utf-8" : "application/jsonl; charset=utf-8",
        "Content-Disposition": attachment(`${prompt.slug}-tests.${format}`),
        "Cache-Control": "no-store",
      },
    });
  });
}
