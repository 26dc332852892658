/**
 * The SQLite and PostgreSQL schemas must describe the same models, and each provider's migrations
 * must produce its schema. Either drifting fails here.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { POSTGRES_TEMPLATE_DB, ROOT, SQLITE_BASE } from "../support/paths";
import { dropDatabase, POSTGRES_SKIP_REASON, POSTGRES_URL, postgresUrlFor, withAdmin } from "../support/postgres";

/** Model and enum blocks with comments and spacing removed; generator and datasource dropped. */
function modelBlocks(schema: string): Map<string, string> {
  const clean = schema
    .split("\n")
    .map((l) =>
      l
        .replace(/\/\/.*$/, "")
        .trim()
        .replace(/\s+/g, " "),
    )
    .filter(Boolean)
    .join("\n");
  const blocks = new Map<string, string>();
  for (const m of clean.matchAll(/^(model|enum|type|view) (\w+) \{\n([\s\S]*?)\n\}/gm)) {
    blocks.set(`${m[1]} ${m[2]}`, m[3]!);
  }
  return blocks;
}

const read = (p: string) => fs.readFileSync(path.join(ROOT, p), "utf8");

describe("schema parity between SQLite and PostgreSQL", () => {
  const sqlite = modelBlocks(read("prisma/schema.prisma"));
  const postgres = modelBlocks(read("prisma/postgres/schema.prisma"));

  it("finds the data model of the design", () => {
    for (const name of [
      "Prompt",
      "PromptVersion",
      "Section",
      "Variable",
      "Label",
      "LabelEvent",
      "Snippet",
      "SnippetVersion",
      "Tag",
      "Folder",
    ]) {
      expect(sqlite.has(`model ${name}`), name).toBe(true);
    }
  });

  it("describes the same models field by field", () => {
    expect([...postgres.keys()].sort()).toEqual([...sqlite.keys()].sort());
    for (const [name, body] of sqlite) expect(postgres.get(name), name).toBe(body);
  });

  it("the comparison notices a difference", () => {
    const changed = modelBlocks(read("prisma/schema.prisma").replace(/favorite(\s+)Boolean/, "favourite$1Boolean"));
    expect(changed.get("model Prompt")).not.toBe(sqlite.get("model Prompt"));
  });
});

/**
 * Each provider's migrations must produce its schema. `migrate diff --from-migrations` needs a
 * shadow database the JS engine cannot drive here (and `db push` leaves a PostgreSQL connection
 * open), so: let the schema engine write the SQL for the whole schema from empty, apply it to an
 * empty database, and compare that catalog with the migrated base database.
 */
function schemaSql(schema: string, databaseUrl: string): string {
  const result = prisma(["migrate", "diff", "--from-empty", "--to-schema-datamodel", schema, "--script"], databaseUrl);
  expect(result.status, result.stderr).toBe(0);
  return result.stdout;
}

function prisma(args: string[], databaseUrl: string) {
  return spawnSync(process.execPath, [path.join(ROOT, "node_modules/prisma/build/index.js"), ...args], {
    cwd: ROOT,
    encoding: "utf8",
    env: { ...process.env, DATABASE_URL: databaseUrl },
    timeout: 60_000,
  });
}

/**
 * Objects the migrations create by raw SQL because Prisma does not model them (full-text search,
 * docs/decisions/030-full-text-search.md). Listed by name so that anything else still counts as drift.
 */
const RAW_SQLITE_OBJECTS = new Set([
  "prompt_fts",
  "prompt_fts_config",
  "prompt_fts_data",
  "prompt_fts_docsize",
  "prompt_fts_idx",
  "prompt_fts_doc",
  "prompt_fts_doc_promptId_key",
  "prompt_fts_after_insert",
  "prompt_fts_after_update",
  "prompt_fts_after_delete",
]);
const RAW_POSTGRES_COLUMNS = new Set(["Prompt.searchVector"]);
const RAW_POSTGRES_INDEXES = new Set(["Prompt_searchVector_idx"]);

describe("migrations match the schema", () => {
  it("SQLite: migrated base ≡ schema", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pb-push-"));
    const pushed = path.join(dir, "pushed.db");
    const fresh = new Database(pushed);
    fresh.exec(schemaSql("prisma/schema.prisma", `file:${pushed}`));
    fresh.close();
    const catalog = (file: string) => {
      const db = new Database(file, { readonly: true });
      const rows = db
        .prepare(
          "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE '_prisma%' AND name NOT LIKE 'sqlite_%' ORDER BY type, name",
        )
        .all() as Array<{ name: string; sql: string | null }>;
      db.close();
      // Whitespace aside: a column added with ALTER TABLE ADD COLUMN (the way to add one without
      // rebuilding a table others change too) is stored on the previous column's line.
      return rows
        .filter((r) => !RAW_SQLITE_OBJECTS.has(r.name))
        .map((r) => ({ ...r, sql: r.sql?.replace(/\s+/g, " ").replace(/\( /g, "(").replace(/ \)/g, ")") ?? null }));
    };
    const migrated = catalog(SQLITE_BASE);
    expect(migrated.length).toBeGreaterThan(10);
    expect(migrated).toEqual(catalog(pushed));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it.skipIf(!POSTGRES_URL)(
    `PostgreSQL: migrated template ≡ schema${POSTGRES_URL ? "" : ` (skipped: ${POSTGRES_SKIP_REASON})`}`,
    async () => {
      const name = `pb_push_${Date.now().toString(36)}`;
      await withAdmin((c) => c.query(`CREATE DATABASE "${name}"`));
      try {
        const fresh = new pg.Client({ connectionString: postgresUrlFor(name) });
        await fresh.connect();
        await fresh.query(schemaSql("prisma/postgres/schema.prisma", postgresUrlFor(name)));
        await fresh.end();
        const catalog = async (database: string) => {
          const client = new pg.Client({ connectionString: postgresUrlFor(database) });
          await client.connect();
          try {
            const columns = await client.query(
              `SELECT table_name, column_name, data_type, is_nullable, column_default FROM information_schema.columns
             WHERE table_schema = 'public' AND table_name NOT LIKE '_prisma%' ORDER BY table_name, column_name`,
            );
            const indexes = await client.query(
              `SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename NOT LIKE '_prisma%' ORDER BY indexname`,
            );
            const constraints = await client.query(
              `SELECT conname, pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE connamespace = 'public'::regnamespace AND conname NOT LIKE '_prisma%' ORDER BY conname`,
            );
            return {
              columns: columns.rows.filter((r) => !RAW_POSTGRES_COLUMNS.has(`${r.table_name}.${r.column_name}`)),
              indexes: indexes.rows.filter((r) => !RAW_POSTGRES_INDEXES.has(r.indexname)),
              constraints: constraints.rows,
            };
          } finally {
            await client.end();
          }
        };
        const migrated = await catalog(POSTGRES_TEMPLATE_DB);
        expect(migrated.columns.length).toBeGreaterThan(30);
        expect(migrated).toEqual(await catalog(name));
      } finally {
        await withAdmin((c) => dropDatabase(c, name));
      }
    },
  );
});
