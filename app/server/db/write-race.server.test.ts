import { describe, expect, it } from "vitest";
import { isWriteRace, retryWriteRace } from "./write-race.server";

const unique = Object.assign(new Error("Unique constraint failed on the fields: (`name`)"), { code: "P2002" });
const deadlock = { message: "driver error", cause: { code: "40P01", message: "deadlock detected" } };

describe("write races", () => {
  it("recognises unique violations, deadlocks and serialization failures, and nothing else", () => {
    expect(isWriteRace(unique)).toBe(true);
    expect(isWriteRace(deadlock)).toBe(true);
    expect(isWriteRace({ code: "40001" })).toBe(true);
    expect(isWriteRace(new Error("SQLITE_BUSY: database is locked"))).toBe(false);
    expect(isWriteRace(new TypeError("x is undefined"))).toBe(false);
  });

  it("runs the transaction again after a lost race, and gives up after the last attempt", async () => {
    let calls = 0;
    await expect(retryWriteRace(async () => (++calls < 3 ? Promise.reject(unique) : "ok"))).resolves.toBe("ok");
    expect(calls).toBe(3);
    calls = 0;
    await expect(retryWriteRace(async () => (++calls, Promise.reject(unique)), 2)).rejects.toBe(unique);
    expect(calls).toBe(2);
  });

  it("never repeats a transaction that failed for another reason", async () => {
    let calls = 0;
    const bug = new Error("bug");
    await expect(retryWriteRace(async () => (++calls, Promise.reject(bug)))).rejects.toBe(bug);
    expect(calls).toBe(1);
  });
});
