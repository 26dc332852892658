// `npm run db:setup`: migrate, then seed when empty. `npm start` runs it before serving.
import { getDb } from "~/server/db.server";
import { getEnv } from "~/server/env.server";
import { logger } from "~/server/logger.server";
import { migrateDeploy } from "../lib/migrate";
import { seedIfEmpty } from "../lib/seed";

const env = getEnv();
const status = migrateDeploy(env.DATABASE_URL);
if (status !== 0) {
  logger.error("migrations failed", { exitCode: status });
  process.exit(status);
}
const db = getDb(env.DATABASE_URL);
try {
  const created = await seedIfEmpty(db);
  logger.info("database ready", { seeded: created });
} catch (err) {
  logger.error("seeding failed", { err });
  process.exitCode = 1;
} finally {
  await db.$disconnect();
}
