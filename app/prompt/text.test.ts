import { describe, expect, it } from "vitest";
import { InvalidError } from "./errors";
import { findNul, refuseNul } from "./text";

describe("findNul / refuseNul", () => {
  it("finds a NUL in any string or key, with its path", () => {
    expect(findNul("a\u0000")).toEqual([]);
    expect(findNul({ sections: [{ template: "ok" }, { template: "x\u0000" }] })).toEqual(["sections", 1, "template"]);
    expect(findNul({ variables: { "a\u0000": "b" } })).toEqual(["variables", "a\u0000"]);
    expect(findNul({ a: ["x", 1, true, null], b: "é😀" })).toBeNull();
  });

  it("throws a malformed InvalidError naming the field", () => {
    expect(() => refuseNul({ t: "ok" }, ["draft"])).not.toThrow();
    try {
      refuseNul({ t: "\u0000" }, ["draft"]);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(InvalidError);
      expect((e as InvalidError).issues[0]!.path).toEqual(["draft", "t"]);
      expect((e as InvalidError).malformed).toBe(true);
    }
  });
});
