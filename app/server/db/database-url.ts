/**
 * Reads DATABASE_URL and says which database it names. `file:` → SQLite (the embedded default),
 * `postgres://` / `postgresql://` → PostgreSQL (scaled mode). Pure, so the Prisma config, the app and
 * the scripts agree on one rule.
 */
import path from "node:path";

export type DatabaseTarget =
  | { kind: "sqlite"; url: string; file: string }
  | {
      kind: "postgres";
      url: string;
      host: string;
      port: number;
      user: string;
      password: string | undefined;
      database: string;
      schema: string | undefined;
      ssl: boolean;
    };

export const DEFAULT_DATABASE_URL = "file:./data/app.db";

export class DatabaseUrlError extends Error {}

/** `base` resolves a relative SQLite path (the process working directory by default). */
export function parseDatabaseUrl(raw: string, base: string = process.cwd()): DatabaseTarget {
  const url = raw.trim();
  if (url.startsWith("file:")) {
    const rest = url.slice("file:".length).replace(/^\/\/(?=\/)/, "");
    const filePart = rest.split("?")[0] ?? "";
    if (filePart === "") throw new DatabaseUrlError("a file: URL needs a path, e.g. file:./data/app.db");
    const file = filePart === ":memory:" ? filePart : path.resolve(base, filePart);
    return { kind: "sqlite", url, file };
  }
  if (url.startsWith("postgres://") || url.startsWith("postgresql://")) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new DatabaseUrlError("not a valid postgresql:// URL");
    }
    const database = decodeURIComponent(parsed.pathname.replace(/^\//, ""));
    if (!parsed.hostname) throw new DatabaseUrlError("a postgresql:// URL needs a host");
    if (!database) throw new DatabaseUrlError("a postgresql:// URL needs a database name");
    const sslmode = parsed.searchParams.get("sslmode");
    return {
      kind: "postgres",
      url,
      host: decodeURIComponent(parsed.hostname),
      port: parsed.port ? Number(parsed.port) : 5432,
      user: decodeURIComponent(parsed.username || "postgres"),
      password: parsed.password ? decodeURIComponent(parsed.password) : undefined,
      database,
      schema: parsed.searchParams.get("schema") ?? undefined,
      ssl: sslmode !== null && sslmode !== "disable",
    };
  }
  throw new DatabaseUrlError("must start with file: (SQLite) or postgres:// / postgresql:// (PostgreSQL)");
}
