import { describe, expect, it } from "vitest";
import { countRender, pendingRenderCounts } from "./render-counts.server";

describe("countRender", () => {
  it("counts per UTC day and source in memory", () => {
    const before = new Map(pendingRenderCounts().map((p) => [`${p.day}|${p.source}`, p.count]));
    const at = (iso: string) => Date.parse(iso);
    countRender("api", at("2031-03-04T23:59:59Z"));
    countRender("api", at("2031-03-04T00:00:00Z"));
    countRender("mcp", at("2031-03-04T12:00:00Z"));
    countRender("api", at("2031-03-05T00:00:00Z"));
    const now = new Map(pendingRenderCounts().map((p) => [`${p.day}|${p.source}`, p.count]));
    const added = (k: string) => (now.get(k) ?? 0) - (before.get(k) ?? 0);
    expect(added("2031-03-04|api")).toBe(2);
    expect(added("2031-03-04|mcp")).toBe(1);
    expect(added("2031-03-05|api")).toBe(1);
  });
});
