// `npm run db:seed`: add the starter templates when the library is empty.
import { getDb } from "~/server/db.server";
import { getEnv } from "~/server/env.server";
import { logger } from "~/server/logger.server";
import { seedIfEmpty } from "../lib/seed";

const env = getEnv();
const db = getDb(env.DATABASE_URL);
try {
  const created = await seedIfEmpty(db);
  logger.info(created ? "seeded starter templates" : "database already has prompts; nothing seeded", { created });
} catch (err) {
  logger.error("seeding failed", { err });
  process.exitCode = 1;
} finally {
  await db.$disconnect();
}
