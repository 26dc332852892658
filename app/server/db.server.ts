/**
 * The Prisma client for the configured database. One build serves both: DATABASE_URL chooses the
 * SQLite client (file:) or the PostgreSQL client (postgres://). Both are generated from schemas
 * that describe the same models (tests/integration/schema-parity.test.ts), so the SQLite client's
 * types describe either.
 */
import { PrismaClient as SqliteClient } from "../generated/sqlite/client";
import { PrismaClient as PostgresClient } from "../generated/postgres/client";
import { createAdapterFactory } from "./db/adapters.server";
import { parseDatabaseUrl, type DatabaseTarget } from "./db/database-url";

export type Db = SqliteClient;
export type { Prisma } from "../generated/sqlite/client";

// On globalThis, like the cached client below, so a dev rebuild of this module still knows it.
const kinds: WeakMap<Db, DatabaseTarget["kind"]> = ((globalThis as unknown as { __promptBuilderDbKinds?: WeakMap<Db, DatabaseTarget["kind"]> })
  .__promptBuilderDbKinds ??= new WeakMap());

export function createDb(url: string): { db: Db; target: DatabaseTarget } {
  const target = parseDatabaseUrl(url);
  const adapter = createAdapterFactory(target);
  const db =
    target.kind === "sqlite" ? new SqliteClient({ adapter }) : (new PostgresClient({ adapter }) as unknown as SqliteClient);
  kinds.set(db, target.kind);
  return { db, target };
}

/** Which database a client talks to (the app and the tests may hold clients of both kinds). */
export function dbKind(db: Db): DatabaseTarget["kind"] {
  const kind = kinds.get(db);
  if (!kind) throw new Error("dbKind: this client was not made by createDb");
  return kind;
}

const globalForDb = globalThis as unknown as { __promptBuilderDb?: { db: Db; target: DatabaseTarget; url: string } };

/** The process-wide client, created on first use (kept across dev rebuilds). */
export function getDb(url: string = process.env.DATABASE_URL || "file:./data/app.db"): Db {
  const existing = globalForDb.__promptBuilderDb;
  if (existing && existing.url === url) return existing.db;
  const created = createDb(url);
  globalForDb.__promptBuilderDb = { ...created, url };
  return created.db;
}
