// `npm run db:migrate`: apply pending migrations and exit (the Kubernetes init container runs this).
import { getEnv } from "~/server/env.server";
import { logger } from "~/server/logger.server";
import { migrateDeploy } from "../lib/migrate";

const env = getEnv();
const status = migrateDeploy(env.DATABASE_URL);
if (status !== 0) {
  logger.error("migrations failed", { exitCode: status });
  process.exit(status);
}
logger.info("migrations applied");
