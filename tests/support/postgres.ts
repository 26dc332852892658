import pg from "pg";
import { POSTGRES_TEMPLATE_DB } from "./paths";

/** The PostgreSQL the database-facing suites also run against; unset → those suites are skipped. */
export const POSTGRES_URL = process.env.TEST_DATABASE_URL_POSTGRES || "";
export const POSTGRES_SKIP_REASON = "TEST_DATABASE_URL_POSTGRES is not set";

export function postgresUrlFor(database: string, base = POSTGRES_URL): string {
  const url = new URL(base);
  url.pathname = `/${database}`;
  return url.toString();
}

export async function withAdmin<T>(fn: (client: pg.Client) => Promise<T>, base = POSTGRES_URL): Promise<T> {
  const client = new pg.Client({ connectionString: postgresUrlFor("postgres", base) });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export async function dropDatabase(client: pg.Client, name: string) {
  await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
}

/** A fresh database copied from the migrated template; returns its URL. */
export async function createPostgresDatabase(
  prefix = "pb_test",
): Promise<{ url: string; name: string; drop: () => Promise<void> }> {
  const name = `${prefix}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  await withAdmin((c) => c.query(`CREATE DATABASE "${name}" TEMPLATE "${POSTGRES_TEMPLATE_DB}"`));
  return { url: postgresUrlFor(name), name, drop: () => withAdmin((c) => dropDatabase(c, name)) };
}
