import { describe, expect, it } from "vitest";
import { BoundedCache } from "./bounded-cache";

describe("BoundedCache", () => {
  it("evicts the least recently used entries past its count", () => {
    const c = new BoundedCache<number>(2, 1_000);
    c.set("a", 1);
    c.set("b", 2);
    expect(c.get("a")).toBe(1); // a is now the most recent
    c.set("c", 3);
    expect([c.get("a"), c.get("b"), c.get("c")]).toEqual([1, undefined, 3]);
  });

  it("keeps the total size within its budget and skips entries too large to keep", () => {
    const c = new BoundedCache<string>(100, 100);
    for (let i = 0; i < 10; i++) c.set(`k${i}`, "v", 20);
    expect(c.weight).toBeLessThanOrEqual(100);
    expect(c.size).toBe(5);
    c.set("huge", "v", 26);
    expect(c.get("huge")).toBeUndefined();
    c.set("k9", "again", 10); // replacing an entry replaces its size
    expect(c.weight).toBe(90);
  });
});
