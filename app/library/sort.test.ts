import { describe, expect, it } from "vitest";
import { effectiveSort } from "./sort";

describe("effectiveSort", () => {
  it("ranks a search and lists the latest changes otherwise, unless a sort is asked for", () => {
    expect(effectiveSort({ q: "refund" })).toBe("relevance");
    expect(effectiveSort({ q: "" })).toBe("updated");
    expect(effectiveSort({ q: " ,. " })).toBe("updated");
    expect(effectiveSort({ q: "", sort: "relevance" })).toBe("updated");
    expect(effectiveSort({ q: "refund", sort: "name" })).toBe("name");
    expect(effectiveSort({ q: "refund", sort: "created" })).toBe("created");
  });
});
