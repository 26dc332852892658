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
    stdio: ["ignore", "pipe", "inherit"],
    encoding: "utf8",
  });
  if (result.error) throw result.error;
  process.stdout.write(result.stdout.replace(ADAPTER_URL_WARNING, ""));
  return result.status ?? 1;
}

// Prisma 6.19 prints this on every migrate when the schema has a `url`, yet without the url the CLI
// cannot read the schema and downloads a native engine (decision 002): the url must stay, the warning goes.
const ADAPTER_URL_WARNING =
  /\nWARNING: Your schema specifies the following datasource properties but you are using a Driver Adapter via prisma\.config\.ts:\n(?:- \w+\n)+\nThe values from your schema will NOT be used!\n\nWe recommend you to remove those properties from your schema to avoid confusion if you are only using driver adapters\.\n/;
