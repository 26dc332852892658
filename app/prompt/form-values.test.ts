import { describe, expect, it } from "vitest";
import type { Variable } from "./draft";
import { typedValues } from "./form-values";

const v = (name: string, type: Variable["type"]): Pick<Variable, "name" | "type"> => ({ name, type });

describe("typedValues", () => {
  const variables = [v("topic", "string"), v("n", "number"), v("ok", "boolean"), v("items", "list")];

  it("reads each declared variable by its type and ignores undeclared fields", () => {
    expect(typedValues(variables, { topic: "clocks", n: "1_000", ok: true, items: "a\n\n b \n", extra: "x" })).toEqual({
      topic: "clocks",
      n: 1000,
      ok: true,
      items: ["a", "b"],
    });
    expect(typedValues(variables, { ok: "false" })).toEqual({ ok: false });
  });

  it("leaves out missing and empty fields, so defaults apply (the builder and the compare page alike)", () => {
    expect(typedValues(variables, {})).toEqual({});
    expect(typedValues(variables, { topic: "", n: "", items: "" })).toEqual({});
  });

  it("keeps text it cannot read, for the type check to report", () => {
    expect(typedValues([v("n", "number")], { n: "twelve" })).toEqual({ n: "twelve" });
  });
});
