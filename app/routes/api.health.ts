import { getDb } from "~/server/db.server";
import { getEnv } from "~/server/env.server";
import { checkReadiness } from "~/server/health.server";
import { logger } from "~/server/logger.server";
import { readOnly } from "~/server/http/problem.server";
import { publicRoute } from "~/server/auth/guard.server";

/** Readiness: 200 when the database answers, 503 otherwise (recovers by itself when it returns). */
export async function loader() {
  publicRoute();
  const result = await checkReadiness(getDb(), getEnv().APP_VERSION);
  if (result.status === "unhealthy") logger.warn("readiness check failed", { error: result.error });
  return Response.json(result, {
    status: result.status === "healthy" ? 200 : 503,
    headers: { "Cache-Control": "no-store" },
  });
}

export const action = readOnly;
