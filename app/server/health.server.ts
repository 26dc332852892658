import type { z } from "zod";
import type { readinessSchema } from "~/api/schemas";
import type { Db } from "./db.server";

export type Readiness = z.infer<typeof readinessSchema>;

/** Readiness: `SELECT 1` through Prisma, bounded by a timeout so a hung database answers 503 fast. */
export async function checkReadiness(db: Db, version: string, timeoutMs = 2000): Promise<Readiness> {
  const timestamp = new Date().toISOString();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      db.$queryRawUnsafe("SELECT 1"),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`database did not answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    return { status: "healthy", database: "connected", version, timestamp };
  } catch (error) {
    const message = error instanceof Error ? error.message.split("\n").filter(Boolean).slice(-1)[0] ?? error.message : String(error);
    return { status: "unhealthy", database: "disconnected", error: message, version, timestamp };
  } finally {
    clearTimeout(timer);
  }
}
