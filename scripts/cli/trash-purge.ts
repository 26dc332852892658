// `npm run trash:purge`: delete for good what has been in the trash for more than 30 days. Run on a
// schedule (the trash-purge CronJob); safe when two replicas or runs overlap (purgeExpiredTrash).
import { getDb } from "~/server/db.server";
import { getEnv } from "~/server/env.server";
import { logger } from "~/server/logger.server";
import { purgeExpiredTrash } from "~/models/trash.server";

const env = getEnv();
const db = getDb(env.DATABASE_URL);
try {
  const started = Date.now();
  const purged = await purgeExpiredTrash(db);
  logger.info("trash purged", { ...purged, ms: Date.now() - started });
} catch (err) {
  logger.error("trash purge failed", { err });
  process.exitCode = 1;
} finally {
  await db.$disconnect();
}
