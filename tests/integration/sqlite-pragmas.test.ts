import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawn } from "node:child_process";
import { createTestDatabase, type TestDatabase } from "../support/databases";
import { ROOT } from "../support/paths";

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

  it("a transaction that reads, then writes, waits for another process's write instead of failing", async () => {
    // Another process writing the same file (the trash-purge command, say): it takes the write lock
    // when told to, holds it for 300 ms, then commits. With a deferred BEGIN, a transaction that
    // had read could not wait for that lock (SQLite skips the busy handler then, to avoid a
    // deadlock) and failed at once with SQLITE_BUSY, which Prisma reports as "Operation has timed out".
    const file = t.url.replace(/^file:/, "");
    await t.db.snippet.createMany({ data: [{ name: "a" }, { name: "b" }] });
    const child = spawn(
      process.execPath,
      [
        "-e",
        `const db = new (require("better-sqlite3"))(${JSON.stringify(file)});
         db.pragma("busy_timeout = 5000");
         process.stdin.once("data", () => {
           db.exec("BEGIN IMMEDIATE");
           console.log("locked");
           setTimeout(() => {
             db.exec("UPDATE Snippet SET description = 'child' WHERE name = 'b'");
             db.exec("COMMIT");
             process.exit(0);
           }, 300);
         });
         console.log("ready");`,
      ],
      { cwd: ROOT, stdio: ["pipe", "pipe", "inherit"] },
    );
    const lines: string[] = [];
    child.stdout.on("data", (d: Buffer) => lines.push(...d.toString().split("\n").filter(Boolean)));
    const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
    await expect.poll(() => lines).toContain("ready");
    await t.db.$transaction(async (tx) => {
      const [a] = await tx.snippet.findMany({ where: { name: "a" }, select: { id: true } });
      child.stdin.write("go\n");
      // The other process has the lock now (deferred BEGIN), or waits for ours (BEGIN IMMEDIATE).
      const deadline = Date.now() + 500;
      while (!lines.includes("locked") && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      await tx.snippet.update({ where: { id: a!.id }, data: { description: "parent" } });
    });
    expect(await exited).toBe(0);
    const rows = await t.db.snippet.findMany({ select: { name: true, description: true }, orderBy: { name: "asc" } });
    expect(rows).toEqual([
      { name: "a", description: "parent" },
      { name: "b", description: "child" },
    ]);
  });

  it("waits for another process's write lock without holding the event loop", async () => {
    // better-sqlite3's busy handler sleeps on this thread: the wait for the lock must be a timer.
    // (Under Prisma's maxWait of 2 s for a transaction to start.)
    const file = t.url.replace(/^file:/, "");
    await t.db.snippet.count(); // connected before the other process takes the lock
    const child = spawn(
      process.execPath,
      [
        "-e",
        `const db = new (require("better-sqlite3"))(${JSON.stringify(file)});
         db.exec("BEGIN IMMEDIATE");
         console.log("locked");
         setTimeout(() => { db.exec("COMMIT"); process.exit(0); }, 1200);`,
      ],
      { cwd: ROOT, stdio: ["ignore", "pipe", "inherit"] },
    );
    const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
    await new Promise<void>((resolve) => child.stdout.on("data", (d: Buffer) => d.includes("locked") && resolve()));
    let last = Date.now();
    let longestGap = 0;
    const ticker = setInterval(() => {
      longestGap = Math.max(longestGap, Date.now() - last);
      last = Date.now();
    }, 10);
    try {
      const started = Date.now();
      await t.db.$transaction(async (tx) => tx.snippet.create({ data: { name: "after-the-lock" } }));
      // It did wait for the other process (about 1.2 s) …
      expect(Date.now() - started).toBeGreaterThan(600);
    } finally {
      clearInterval(ticker);
      // A wait that ended just now, before the next tick.
      longestGap = Math.max(longestGap, Date.now() - last);
    }
    // … while timers kept running (a synchronous busy wait shows one gap of about 1.2 s).
    expect(longestGap).toBeLessThan(800);
    expect(await exited).toBe(0);
    expect(await t.db.snippet.count({ where: { name: "after-the-lock" } })).toBe(1);
  });
});
