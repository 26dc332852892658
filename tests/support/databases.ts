/**
 * Test databases for the database-facing suites, which run against SQLite always and against
 * PostgreSQL when TEST_DATABASE_URL_POSTGRES is set. Each test database is a copy of a base migrated
 * once by the global setup, so tests never share state.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createDb, type Db } from "~/server/db.server";
import { SQLITE_BASE } from "./paths";
import { createPostgresDatabase, POSTGRES_SKIP_REASON, POSTGRES_URL } from "./postgres";

export type DatabaseKind = "sqlite" | "postgres";

export const DATABASE_KINDS: Array<{ kind: DatabaseKind; skip: boolean; label: string }> = [
  { kind: "sqlite", skip: false, label: "SQLite" },
  {
    kind: "postgres",
    skip: !POSTGRES_URL,
    label: POSTGRES_URL ? "PostgreSQL" : `PostgreSQL (skipped: ${POSTGRES_SKIP_REASON})`,
  },
];

export type TestDatabase = { kind: DatabaseKind; url: string; db: Db; cleanup: () => Promise<void> };

/** A fresh, migrated, empty database URL of the given kind (no client opened). */
export async function createTestDatabaseUrl(
  kind: DatabaseKind,
): Promise<{ url: string; cleanup: () => Promise<void> }> {
  if (kind === "sqlite") {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pb-test-"));
    const file = path.join(dir, "app.db");
    fs.copyFileSync(SQLITE_BASE, file);
    return { url: `file:${file}`, cleanup: async () => fs.rmSync(dir, { recursive: true, force: true }) };
  }
  const created = await createPostgresDatabase();
  return { url: created.url, cleanup: created.drop };
}

export async function createTestDatabase(kind: DatabaseKind): Promise<TestDatabase> {
  const { url, cleanup } = await createTestDatabaseUrl(kind);
  const { db } = createDb(url);
  return {
    kind,
    url,
    db,
    cleanup: async () => {
      await db.$disconnect();
      await cleanup();
    },
  };
}
