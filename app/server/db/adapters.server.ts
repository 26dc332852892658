/**
 * Driver adapters for Prisma's JavaScript engine, shared by the app (db.server.ts), the Prisma CLI
 * (prisma.config.ts) and the scripts. See docs/decisions/002-prisma-js-engine.md.
 */
import fs from "node:fs";
import path from "node:path";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import type { DatabaseTarget } from "./database-url";
import { SQLITE_PRAGMA_SCRIPT } from "./sqlite-pragmas";

/** The better-sqlite3 adapter has no per-connection hook; this factory runs the pragmas on connect. */
export class TunedSQLiteAdapterFactory extends PrismaBetterSQLite3 {
  override async connect() {
    const adapter = await super.connect();
    await adapter.executeScript(SQLITE_PRAGMA_SCRIPT);
    return adapter;
  }
}

// prisma/prisma#27403: the JS schema engine cannot deserialize catalog-only column types (name,
// char, int2vector, regproc, oidvector, pg_node_tree) that `migrate deploy`/`status` read from
// pg_catalog. Report them as text (and name[] as text[]) so the adapter accepts them. Remove when
// Prisma fixes the issue (docs/decisions/003-pg-catalog-types.md).
const CATALOG_TEXT_OIDS = new Set([18, 19, 22, 24, 30, 194]);
const NAME_ARRAY_OID = 1003;
const TEXT_OID = 25;
const TEXT_ARRAY_OID = 1009;
const parseTextArray = pg.types.getTypeParser(TEXT_ARRAY_OID as never, "text") as (value: string) => unknown;

type QueryResultLike = { fields?: Array<{ dataTypeID: number }>; rows?: unknown[][] };

function normaliseCatalogTypes<T>(result: T): T {
  const r = result as QueryResultLike;
  if (!r || !Array.isArray(r.fields)) return result;
  r.fields.forEach((field, index) => {
    if (CATALOG_TEXT_OIDS.has(field.dataTypeID)) field.dataTypeID = TEXT_OID;
    else if (field.dataTypeID === NAME_ARRAY_OID) {
      field.dataTypeID = TEXT_ARRAY_OID;
      for (const row of r.rows ?? []) {
        if (Array.isArray(row) && typeof row[index] === "string") row[index] = parseTextArray(row[index]);
      }
    }
  });
  return result;
}

export class CatalogSafeClient extends pg.Client {
  // pg's query() has many overloads. The adapter calls pool.query(config, values), which pg-pool
  // turns into client.query(config, values, callback); direct client use gets a promise. Both are
  // adjusted.
  override query(...args: unknown[]): never {
    const last = args.length - 1;
    const callback = args[last];
    if (typeof callback === "function") {
      args[last] = (error: unknown, result: unknown) =>
        (callback as (e: unknown, r: unknown) => void)(error, error ? result : normaliseCatalogTypes(result));
    }
    const out = (super.query as (...a: unknown[]) => unknown)(...args);
    if (out && typeof (out as Promise<unknown>).then === "function") {
      return (out as Promise<unknown>).then(normaliseCatalogTypes) as never;
    }
    return out as never;
  }
}

export type PostgresTarget = Extract<DatabaseTarget, { kind: "postgres" }>;

/** How long a database may take before the app gives up (docs/operations.md, "Timeouts"). */
export const DEFAULT_DATABASE_TIMEOUT_MS = 5000;

export type DatabaseTimeouts = { timeoutMs: number };

/**
 * A pool that recovers from a database that stalls or vanishes. Always: a connect timeout and TCP
 * keepalive (peers that disappear silently). With `timeouts` (the app; not the Prisma CLI, whose
 * migrations may run long): a server-side statement timeout, a client-side query timeout a little
 * longer for a server that does not answer at all (pg-pool then destroys that client instead of
 * reusing it), and a server-side limit on sessions left idle inside a transaction.
 */
export function postgresPoolConfig(target: PostgresTarget, max = 10, timeouts?: DatabaseTimeouts): pg.PoolConfig {
  const timeoutMs = timeouts?.timeoutMs;
  // Discrete fields, not a connectionString: a connectionString would override the database name
  // that Prisma sets for its shadow database.
  return {
    host: target.host,
    port: target.port,
    user: target.user,
    password: target.password,
    database: target.database,
    ssl: target.ssl ? { rejectUnauthorized: false } : undefined,
    max,
    connectionTimeoutMillis: timeoutMs ?? DEFAULT_DATABASE_TIMEOUT_MS,
    ...(timeoutMs
      ? {
          statement_timeout: timeoutMs,
          query_timeout: timeoutMs + 1000,
          idle_in_transaction_session_timeout: Math.max(30_000, 2 * timeoutMs),
        }
      : {}),
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
    idleTimeoutMillis: 30_000,
    // CLI commands (migrate, db push) exit once their work is done instead of waiting on idle clients.
    allowExitOnIdle: true,
    Client: CatalogSafeClient,
  } as pg.PoolConfig;
}

export function createAdapterFactory(target: DatabaseTarget, timeouts?: DatabaseTimeouts) {
  if (target.kind === "sqlite") {
    if (target.file !== ":memory:") fs.mkdirSync(path.dirname(target.file), { recursive: true });
    return new TunedSQLiteAdapterFactory({ url: target.file });
  }
  return new PrismaPg(postgresPoolConfig(target, 10, timeouts), target.schema ? { schema: target.schema } : undefined);
}
