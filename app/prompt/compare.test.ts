import { describe, expect, it } from "vitest";
import { unionVariables } from "./compare";
import type { Variable } from "./draft";

const v = (name: string, extra: Partial<Variable> = {}): Variable => ({
  name,
  type: "string",
  required: true,
  enumValues: [],
  description: "",
  ...extra,
});

describe("unionVariables", () => {
  it("keeps every name once, the newer declaration winning, in first-seen order", () => {
    const merged = unionVariables([v("a"), v("b", { description: "old" })], [v("b", { description: "new" }), v("c")]);
    expect(merged.map((x) => [x.name, x.description])).toEqual([
      ["a", ""],
      ["b", "new"],
      ["c", ""],
    ]);
  });
});
