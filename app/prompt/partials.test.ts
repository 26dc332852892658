import { describe, expect, it } from "vitest";
import { partialNames } from "./partials";

describe("partialNames", () => {
  it("lists each included snippet once, sorted, from every section", () => {
    const sections = [
      { template: "{{> sign}} {{#if x}}{{> tone}}{{/if}}" },
      { template: "{{> sign}} {{name}}" },
      { template: "" },
    ];
    expect(
      partialNames({
        sections: sections.map((s) => ({ kind: "task" as const, title: "", enabled: true, examples: [], ...s })),
      }),
    ).toEqual(["sign", "tone"]);
  });
});
