import { describe, expect, it } from "vitest";
import { DatabaseUrlError, parseDatabaseUrl } from "./database-url";

describe("parseDatabaseUrl", () => {
  it("resolves a relative SQLite path against the base folder", () => {
    expect(parseDatabaseUrl("file:./data/app.db", "/srv/app")).toEqual({
      kind: "sqlite",
      url: "file:./data/app.db",
      file: "/srv/app/data/app.db",
    });
    expect(parseDatabaseUrl("file:/var/lib/pb/app.db?connection_limit=1", "/x").kind).toBe("sqlite");
    expect(parseDatabaseUrl("file:/var/lib/pb/app.db", "/x")).toMatchObject({ file: "/var/lib/pb/app.db" });
    expect(parseDatabaseUrl("file::memory:")).toMatchObject({ file: ":memory:" });
  });

  it("splits a PostgreSQL URL into discrete fields, decoding escapes", () => {
    expect(
      parseDatabaseUrl("postgresql://app%40corp:p%2Fss@db.internal:6543/prompts?schema=pb&sslmode=require"),
    ).toEqual({
      kind: "postgres",
      url: "postgresql://app%40corp:p%2Fss@db.internal:6543/prompts?schema=pb&sslmode=require",
      host: "db.internal",
      port: 6543,
      user: "app@corp",
      password: "p/ss",
      database: "prompts",
      schema: "pb",
      ssl: true,
    });
    expect(parseDatabaseUrl("postgres://localhost/test")).toMatchObject({
      port: 5432,
      user: "postgres",
      password: undefined,
      ssl: false,
    });
  });

  it.each(["", "mysql://a/b", "file:", "postgresql:///nohost", "postgresql://host/"])("rejects %j", (url) => {
    expect(() => parseDatabaseUrl(url)).toThrow(DatabaseUrlError);
  });
});
