import { describe, expect, it } from "vitest";
import { counted, plural } from "./plural";

describe("plural", () => {
  it("picks the singular only for one", () => {
    expect([0, 1, 2, 21].map((n) => `${n} ${plural(n, "prompt", "prompts")}`)).toEqual([
      "0 prompts",
      "1 prompt",
      "2 prompts",
      "21 prompts",
    ]);
  });
});

describe("counted", () => {
  it("puts the count before its word", () => {
    expect([1, 3].map((n) => counted(n, "error", "errors"))).toEqual(["1 error", "3 errors"]);
  });
});
