import { describe, expect, it } from "vitest";
import { plural } from "./plural";

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
