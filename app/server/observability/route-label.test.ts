import { describe, expect, it } from "vitest";
import { createRouteLabeler, stripDataSuffix } from "./route-label";

const manifest = {
  root: { id: "root", path: "" },
  "routes/_index": { id: "routes/_index", parentId: "root", index: true },
  "routes/prompts.$slug.edit": { id: "routes/prompts.$slug.edit", parentId: "root", path: "prompts/:slug/edit" },
  "routes/prompts.new": { id: "routes/prompts.new", parentId: "root", path: "prompts/new" },
  "routes/api.health": { id: "routes/api.health", parentId: "root", path: "api/health" },
  "routes/snippets": { id: "routes/snippets", parentId: "root", path: "snippets" },
  "routes/snippets._index": { id: "routes/snippets._index", parentId: "routes/snippets", index: true },
};

describe("route labels", () => {
  const label = createRouteLabeler(manifest, { isPublicFile: (p) => p === "/favicon.svg" });

  it("names the deepest matching Remix route for documents, data and resource requests", () => {
    expect(label("/")).toBe("routes/_index");
    expect(label("/_root.data")).toBe("routes/_index");
    expect(label("/prompts/anything-at-all/edit")).toBe("routes/prompts.$slug.edit");
    expect(label("/prompts/other/edit.data")).toBe("routes/prompts.$slug.edit");
    expect(label("/prompts/new")).toBe("routes/prompts.new");
    expect(label("/api/health")).toBe("routes/api.health");
    expect(label("/snippets")).toBe("routes/snippets._index");
  });

  it("folds static assets into one value and unknown paths into another", () => {
    expect(label("/build/_shared/chunk-ABC.js")).toBe("static");
    expect(label("/favicon.svg")).toBe("static");
    expect(label("/wp-admin/x.php")).toBe("unmatched");
    expect(label("/%E0%A4%A")).toBe("unmatched");
  });

  it("keeps the label set bounded however many distinct URLs arrive", () => {
    const labels = new Set<string>();
    for (let i = 0; i < 10_000; i++) labels.add(label(`/prompts/p-${i}/edit`));
    expect([...labels]).toEqual(["routes/prompts.$slug.edit"]);
  });

  it("strips the single-fetch data suffix", () => {
    expect(stripDataSuffix("/a/b.data")).toBe("/a/b");
    expect(stripDataSuffix("/_root.data")).toBe("/");
    expect(stripDataSuffix("/a/b")).toBe("/a/b");
  });
});
