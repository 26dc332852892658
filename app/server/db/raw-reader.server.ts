/**
 * A read-only handle on the database beside Prisma, for the API's hot reads (docs/decisions/080):
 * Prisma's client spent ~2/3 of a GET's time building and compiling the same queries again. Here a
 * statement is prepared once (better-sqlite3 statement cache; a named PostgreSQL prepared
 * statement per connection) and run with its parameters. SQL is written with `$1…$n`; SQLite gets
 * them as named parameters. Writes never go through here.
 */
import Database from "better-sqlite3";
import pg from "pg";
import type { DatabaseTarget } from "./database-url";
import { postgresPoolConfig, type DatabaseTimeouts } from "./adapters.server";
import { SQLITE_PRAGMAS } from "./sqlite-pragmas";

export type RawReader = {
  readonly kind: DatabaseTarget["kind"];
  /** Rows of `sql` (its `name` identifies the prepared statement; one name, one text). */
  all<T>(name: string, sql: string, params: readonly unknown[]): Promise<T[]>;
  /**
   * A value that changes whenever any other connection (this process's Prisma client, another
   * process) has committed since the last call, or null when the database has no such cheap signal.
   * SQLite: `PRAGMA data_version`, which reads no table.
   */
  changeToken(): number | null;
  close(): Promise<void>;
};

const POSITIONAL = /\$(\d+)/g;

function sqliteReader(file: string): RawReader {
  const conn = new Database(file, { fileMustExist: true });
  conn.pragma(`busy_timeout = ${SQLITE_PRAGMAS.busy_timeout}`);
  conn.pragma("query_only = 1");
  const statements = new Map<string, Database.Statement>();
  // Prepared once: `conn.pragma()` prepares a new statement on every call (3% of a render's CPU).
  const dataVersion = conn.prepare("PRAGMA data_version").pluck();
  return {
    kind: "sqlite",
    async all<T>(name: string, sql: string, params: readonly unknown[]) {
      let statement = statements.get(name);
      if (!statement) statements.set(name, (statement = conn.prepare(sql.replace(POSITIONAL, "@p$1"))));
      const named: Record<string, unknown> = {};
      params.forEach((value, i) => (named[`p${i + 1}`] = typeof value === "boolean" ? Number(value) : value));
      return statement.all(named) as T[];
    },
    changeToken() {
      return Number(dataVersion.get());
    },
    async close() {
      conn.close();
    },
  };
}

function postgresReader(target: Extract<DatabaseTarget, { kind: "postgres" }>, timeouts: DatabaseTimeouts): RawReader {
  // A few connections: each query is one short indexed lookup.
  const config = postgresPoolConfig(target, 4, timeouts);
  if (target.schema) config.options = `-c search_path=${target.schema}`;
  const pool = new pg.Pool(config);
  // An idle client that loses its connection emits here; without a listener it would crash the process.
  pool.on("error", () => undefined);
  return {
    kind: "postgres",
    async all<T>(name: string, sql: string, params: readonly unknown[]) {
      const result = await pool.query({ name, text: sql, values: params as unknown[] });
      return result.rows as T[];
    },
    changeToken() {
      return null;
    },
    async close() {
      await pool.end();
    },
  };
}

/** A reader for the database `target` names, or null where a second connection cannot see it (`:memory:`). */
export function createRawReader(target: DatabaseTarget, timeouts: DatabaseTimeouts): RawReader | null {
  if (target.kind === "sqlite") return target.file === ":memory:" ? null : sqliteReader(target.file);
  return postgresReader(target, timeouts);
}
