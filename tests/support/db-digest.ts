/**
 * A digest of every row of every table of a test database (SQLite file or PostgreSQL URL), read
 * with the raw driver beside the running app, so a test can tell whether a request changed
 * anything at all. Prisma's migration table is left out.
 */
import { createHash } from "node:crypto";
import Database from "better-sqlite3";
import pg from "pg";

export type Digester = { digest: () => Promise<string>; close: () => Promise<void> };

const json = (row: unknown) =>
  JSON.stringify(row, (_k, v: unknown) =>
    typeof v === "bigint" ? v.toString() : v instanceof Uint8Array ? Buffer.from(v).toString("hex") : v,
  );

function hashTables(tables: Array<[string, unknown[]]>): string {
  const hash = createHash("sha256");
  for (const [name, rows] of tables) {
    hash.update(`${name}\n`);
    for (const line of rows.map(json).sort()) hash.update(`${line}\n`);
  }
  return hash.digest("hex");
}

export async function databaseDigester(url: string): Promise<Digester> {
  if (url.startsWith("file:")) {
    const db = new Database(url.slice("file:".length), { readonly: true, fileMustExist: true });
    const tables = (
      db
        .prepare(
          `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> '_prisma_migrations' ORDER BY name`,
        )
        .all() as Array<{ name: string }>
    ).map((t) => t.name);
    const statements = tables.map((t) => [t, db.prepare(`SELECT * FROM "${t}"`)] as const);
    return {
      digest: async () => hashTables(statements.map(([t, s]) => [t, s.all()])),
      close: async () => {
        db.close();
      },
    };
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const { rows } = await client.query<{ name: string }>(
    `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name <> '_prisma_migrations' ORDER BY table_name`,
  );
  // One round trip, hashed by the server: every table's rows as text, in a stable order.
  const query = rows
    .map(
      (r) =>
        `SELECT '${r.name}' AS t, md5(coalesce(string_agg(x::text, E'\\n' ORDER BY x::text), '')) AS h FROM "${r.name}" x`,
    )
    .join(" UNION ALL ");
  return {
    digest: async () => {
      const result = await client.query<{ t: string; h: string }>(query);
      return hashTables(result.rows.map((r) => [r.t, [r.h]]));
    },
    close: () => client.end(),
  };
}
