import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { projectRoot } from "./project-root";

/**
 * Applies pending migrations with `prisma migrate deploy` (JS schema engine; prisma.config.ts picks
 * the SQLite or PostgreSQL folder from DATABASE_URL). On PostgreSQL, migrate deploy holds an
 * advisory lock, so several pods starting at once apply each migration once.
 */
export function migrateDeploy(databaseUrl: string): number {
  const root = projectRoot();
  const require = createRequire(`${root}/package.json`);
  const cli = require.resolve("prisma/build/index.js");
  const result = spawnSync(process.execPath, [cli, "migrate", "deploy"], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: databaseUrl, PRISMA_HIDE_UPDATE_MESSAGE: "1", CHECKPOINT_DISABLE: "1" },
    stdio: ["ignore", "inherit", "inherit"],
  });
  if (result.error) throw result.error;
  return result.status ?? 1;
}
