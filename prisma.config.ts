/**
 * Prisma CLI configuration. Prisma 6.19's JavaScript schema engine with driver adapters: no native
 * engine is downloaded (docs/decisions/002-prisma-js-engine.md). DATABASE_URL picks the schema and
 * migration folder: SQLite (prisma/) or PostgreSQL (prisma/postgres/).
 */
import path from "node:path";
import { defineConfig } from "prisma/config";
import { createAdapterFactory } from "./app/server/db/adapters.server";
import { DEFAULT_DATABASE_URL, parseDatabaseUrl } from "./app/server/db/database-url";

// The CLI does not read .env when a config file exists, and without a resolvable url it falls back
// to the native engine (and a download): give it the app's default.
const url = process.env.DATABASE_URL || DEFAULT_DATABASE_URL;
process.env.DATABASE_URL = url;
const target = parseDatabaseUrl(url);
const folder = target.kind === "sqlite" ? "prisma" : path.join("prisma", "postgres");

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: path.join(folder, "schema.prisma"),
  migrations: { path: path.join(folder, "migrations") },
  adapter: async () => createAdapterFactory(target),
});
