import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../support/databases";

describe("SQLite connections are tuned for production", () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase("sqlite");
  });
  afterAll(async () => {
    await t?.cleanup();
  });

  it("reads every pragma back from a Prisma connection", async () => {
    const read = async (name: string) => {
      const rows = (await t.db.$queryRawUnsafe(`PRAGMA ${name}`)) as Array<Record<string, unknown>>;
      return Object.values(rows[0]!)[0];
    };
    // Values come back as BigInt (the adapter turns safe integers on); compare as strings.
    const pragmas = {
      journal_mode: await read("journal_mode"),
      synchronous: await read("synchronous"),
      busy_timeout: await read("busy_timeout"),
      foreign_keys: await read("foreign_keys"),
      cache_size: await read("cache_size"),
      temp_store: await read("temp_store"),
      mmap_size: await read("mmap_size"),
    };
    expect(Object.fromEntries(Object.entries(pragmas).map(([k, v]) => [k, String(v)]))).toEqual({
      journal_mode: "wal",
      synchronous: "1",
      busy_timeout: "5000",
      foreign_keys: "1",
      cache_size: "-16000",
      temp_store: "2",
      mmap_size: "0",
    });
  });

  it("enforces foreign keys", async () => {
    await expect(t.db.promptVersion.create({ data: { promptId: "missing", number: 1 } })).rejects.toThrow(
      /Foreign key constraint/i,
    );
  });
});
