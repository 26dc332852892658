/**
 * Runs once before the integration and e2e projects: builds the app (the tests run the production
 * build, as the container does; SKIP_BUILD=1 when the caller has just built it), migrates a base
 * SQLite database that tests copy, and — when TEST_DATABASE_URL_POSTGRES is set — a PostgreSQL
 * template database tests clone.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { ARTIFACTS, POSTGRES_TEMPLATE_DB, ROOT, SQLITE_BASE } from "./paths";
import { dropDatabase, POSTGRES_URL, postgresUrlFor, withAdmin } from "./postgres";

function run(args: string[], env: Record<string, string> = {}) {
  execFileSync(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, ...env, LOG_LEVEL: "warn" },
    stdio: ["ignore", "pipe", "inherit"],
  });
}

// Vitest runs a project's global setup once per project: integration and e2e share this one, and
// one `npm test` must build and migrate once. Global setups run in the main process.
const DONE = Symbol.for("prompt-builder.tests.global-setup");

export default async function setup() {
  const state = globalThis as { [DONE]?: Promise<void> };
  state[DONE] ??= prepare();
  await state[DONE];
}

async function prepare() {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  if (!process.env.SKIP_BUILD) {
    execFileSync("npm", ["run", "build", "--silent"], { cwd: ROOT, stdio: ["ignore", "pipe", "inherit"] });
  }
  for (const f of [SQLITE_BASE, `${SQLITE_BASE}-wal`, `${SQLITE_BASE}-shm`]) fs.rmSync(f, { force: true });
  run([path.join("build", "cli", "migrate.js")], { DATABASE_URL: `file:${SQLITE_BASE}` });
  // Fold the WAL into the file so a plain copy of base.db is complete.
  const Database = (await import("better-sqlite3")).default;
  const base = new Database(SQLITE_BASE);
  base.pragma("wal_checkpoint(TRUNCATE)");
  base.pragma("journal_mode = DELETE");
  base.close();

  if (POSTGRES_URL) {
    await withAdmin(async (client) => {
      await client.query(`UPDATE pg_database SET datistemplate = false WHERE datname = '${POSTGRES_TEMPLATE_DB}'`);
      await dropDatabase(client, POSTGRES_TEMPLATE_DB);
      await client.query(`CREATE DATABASE "${POSTGRES_TEMPLATE_DB}"`);
    });
    run([path.join("build", "cli", "migrate.js")], { DATABASE_URL: postgresUrlFor(POSTGRES_TEMPLATE_DB) });
  }
}
