/**
 * ENABLE_EXPORT=false: every export endpoint answers 404 as if it did not exist (and the pages hide
 * their export buttons). A local check until the shared guard (requireExportEnabled) lands; the
 * routes call it right after their auth guard.
 */
import { getEnv } from "~/server/env.server";
import { problemOf, problemResponse } from "~/server/http/problem.server";

export function refuseExportWhenDisabled(): void {
  if (getEnv().ENABLE_EXPORT) return;
  throw problemResponse(
    problemOf(404, "Exports are turned off on this instance (ENABLE_EXPORT=false).", [
      { path: [], message: "not found" },
    ]),
  );
}
