/**
 * ENABLE_EXPORT=false: every export and download endpoint answers 404, as if it did not exist (the
 * UI hides the buttons; publicEnv tells the browser). Call `requireExportEnabled(request)` first
 * thing after the auth guard in any route that exports or downloads prompts, snippets or rendered
 * bodies: API paths (/api/…) get problem+json, pages and resource routes a plain 404.
 */
import { data } from "@remix-run/node";
import { getEnv } from "../env.server";
import { problemOf, problemResponse } from "./problem.server";

export const EXPORT_DISABLED = "Export is switched off on this instance (ENABLE_EXPORT=false).";

export function requireExportEnabled(request: Request, enabled: boolean = getEnv().ENABLE_EXPORT): void {
  if (enabled) return;
  if (new URL(request.url).pathname.startsWith("/api/"))
    throw problemResponse(problemOf(404, EXPORT_DISABLED, [{ path: [], message: "export is disabled" }]));
  throw data(EXPORT_DISABLED, { status: 404 });
}
