import { describe, expect, it } from "vitest";
import { hashPassword, passwordProblem, verifyPassword } from "./password.server";
import { sign, unsign } from "./secrets.server";

describe("signed values", () => {
  const old = "o".repeat(32);
  const next = "n".repeat(32);
  it("the first secret signs; every secret verifies (rotation)", () => {
    const byOld = sign("abc", [old]);
    expect(unsign(byOld, [next, old])).toBe("abc");
    expect(unsign(byOld, [next])).toBeNull();
    expect(unsign(sign("abc", [next, old]), [next])).toBe("abc");
  });
  it("refuses tampered or unsigned values", () => {
    const s = sign("abc", [old]);
    expect(unsign(s.replace("abc", "abd"), [old])).toBeNull();
    expect(unsign("abc", [old])).toBeNull();
    expect(unsign(`${s}x`, [old])).toBeNull();
  });
});

describe("passwords", () => {
  it("hashes with the recorded parameters and verifies only the right password", async () => {
    const hash = await hashPassword("a long enough passphrase");
    expect(hash).toMatch(/^scrypt\$32768\$8\$3\$/);
    expect(await verifyPassword("a long enough passphrase", hash)).toBe(true);
    expect(await verifyPassword("a long enough passphrasE", hash)).toBe(false);
    expect(await verifyPassword("anything", null)).toBe(false);
    expect(await verifyPassword("anything", "garbage")).toBe(false);
    // Four scrypt runs of ~100 ms each on an idle core; a loaded 2-core runner needs far longer.
  }, 30_000);
  it("refuses short, common and repeated passwords", () => {
    expect(passwordProblem("short")).toMatch(/at least 10/);
    expect(passwordProblem("qwertyuiop")).toMatch(/common/);
    expect(passwordProblem("zzzzzzzzzzzzzzzzzz")).toMatch(/repeat/);
    expect(passwordProblem("correct horse battery staple")).toBeNull();
  });
});
