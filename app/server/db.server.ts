/**
 * The Prisma client for the configured database. One build serves both: DATABASE_URL chooses the
 * SQLite client (file:) or the PostgreSQL client (postgres://). Both are generated from schemas
 * that describe the same models (tests/integration/schema-parity.test.ts), so the SQLite client's
 * types describe either.
 */
import fs from "node:fs";
import { PrismaClient as SqliteClient } from "../generated/sqlite/client";
import { PrismaClient as PostgresClient } from "../generated/postgres/client";
import { PrismaPg } from "@prisma/adapter-pg";
import { createAdapterFactory, DEFAULT_DATABASE_TIMEOUT_MS, TunedSQLiteAdapterFactory } from "./db/adapters.server";
import { parseDatabaseUrl, type DatabaseTarget } from "./db/database-url";
import { parseEnv } from "./env.server";
import { withDisposingTransactions } from "./db/pg-transactions";
import { withReleasingTransactions } from "./db/sqlite-transactions";
import { processGlobal } from "./process-global.server";
import { createRawReader, type RawReader } from "./db/raw-reader.server";

export type Db = SqliteClient;
export type { Prisma } from "../generated/sqlite/client";

/** The SQLite file a client opened, as device and inode: readiness compares it with what the path names now. */
export type FileIdentity = { dev: number; ino: number };
export type DbInfo = {
  target: DatabaseTarget;
  openedFile?: FileIdentity;
  timeoutMs: number;
  /** The read-only handle beside Prisma (./db/raw-reader.server.ts), made on first use; null: none possible. */
  reader?: RawReader | null;
};

// On globalThis, like the cached client below, so a dev rebuild of this module still knows it.
const infos = processGlobal("db-infos", () => new WeakMap<Db, DbInfo>());

/** `timeoutMs`: PostgreSQL connect/statement/query timeout (DATABASE_TIMEOUT_MS for the app). */
export function createDb(url: string, options: { timeoutMs?: number } = {}): { db: Db; target: DatabaseTarget } {
  const target = parseDatabaseUrl(url);
  const adapter = createAdapterFactory(target, { timeoutMs: options.timeoutMs ?? DEFAULT_DATABASE_TIMEOUT_MS });
  const timeoutMs = options.timeoutMs ?? DEFAULT_DATABASE_TIMEOUT_MS;
  const info: DbInfo = { target, timeoutMs };
  if (adapter instanceof PrismaPg) {
    const connect = adapter.connect.bind(adapter);
    adapter.connect = async () => withDisposingTransactions(await connect());
  }
  if (adapter instanceof TunedSQLiteAdapterFactory && target.kind === "sqlite") {
    // Here rather than in adapters.server.ts, which the image also loads for the Prisma CLI alone.
    const connect = adapter.connect.bind(adapter);
    adapter.connect = async () => {
      const connected = withReleasingTransactions(await connect());
      if (target.file !== ":memory:") {
        const stat = fs.statSync(target.file);
        info.openedFile = { dev: stat.dev, ino: stat.ino };
      }
      return connected;
    };
  }
  const db = target.kind === "sqlite" ? new SqliteClient({ adapter }) : asAppClient(new PostgresClient({ adapter }));
  infos.set(db, info);
  return { db, target };
}

/**
 * The app is typed against the SQLite client. The two generated clients (one schema per provider,
 * decision 002) have the same models and API, kept so by tests/integration/schema-parity.test.ts,
 * but differ in types where the databases do (`$transaction` takes PostgreSQL's isolation levels,
 * not SQLite's one), so neither is assignable to the other. This is the one place the PostgreSQL
 * client is taken for the SQLite one.
 */
function asAppClient(client: PostgresClient): Db {
  return client as SqliteClient;
}

function infoOf(db: Db): DbInfo {
  const info = infos.get(db);
  if (!info) throw new Error("this client was not made by createDb");
  return info;
}

/** Which database a client talks to (the app and the tests may hold clients of both kinds). */
export function dbKind(db: Db): DatabaseTarget["kind"] {
  return infoOf(db).target.kind;
}

/** Where a client's database is, and (SQLite) which file it opened. */
export function dbInfo(db: Db): Readonly<DbInfo> {
  return infoOf(db);
}

/** The client's raw read-only handle for the API's hot reads, or null (an in-memory SQLite database). */
export function rawReader(db: Db): RawReader | null {
  const info = infoOf(db);
  if (info.reader === undefined) info.reader = createRawReader(info.target, { timeoutMs: info.timeoutMs });
  return info.reader;
}

/** Closes the raw handle, if one was made (on shutdown, with the client). */
export async function closeRawReader(db: Db): Promise<void> {
  const info = infos.get(db);
  const reader = info?.reader;
  if (info) info.reader = undefined;
  await reader?.close();
}

const shared = processGlobal("db", (): { client?: { db: Db; target: DatabaseTarget; url: string } } => ({}));

/** The process-wide client, created on first use (kept across dev rebuilds). */
export function getDb(url: string = process.env.DATABASE_URL || "file:./data/app.db"): Db {
  const existing = shared.client;
  if (existing && existing.url === url) return existing.db;
  const timeout = parseEnv(process.env);
  const created = createDb(url, { timeoutMs: timeout.ok ? timeout.env.DATABASE_TIMEOUT_MS : undefined });
  shared.client = { ...created, url };
  return created.db;
}
