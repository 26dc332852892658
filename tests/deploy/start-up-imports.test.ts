/**
 * What the built server loads at start-up and what each render thread loads (docs/decisions/131):
 * the model SDKs and the MCP SDK are imported on first use, not by the bundle's top (together about
 * 46 MB of RSS), and the render worker imports no zod (about 14 MB per thread). The server bundle
 * hoists every static import of a package to its top, so one careless `import OpenAI from "openai"`
 * anywhere under app/ would bring the cost back: this reads the build to catch it.
 */
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const root = path.resolve(__dirname, "../..");
const read = (file: string) => fs.readFileSync(path.join(root, file), "utf8");

/** Packages a bundle imports statically (evaluated when the bundle loads). */
function staticImports(source: string): Set<string> {
  const found = new Set<string>();
  for (const m of source.matchAll(/^import\s[^;]*?\bfrom\s*"([^"]+)"|^import\s*"([^"]+)"/gms)) found.add(m[1] ?? m[2]!);
  return found;
}
const dynamicImports = (source: string) =>
  new Set([...source.matchAll(/\bimport\(\s*"([^"]+)"\s*\)/g)].map((m) => m[1]!));

const LAZY = [
  "openai",
  "@anthropic-ai/sdk",
  "@modelcontextprotocol/sdk/server/mcp.js",
  "@modelcontextprotocol/sdk/types.js",
  "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js",
];

describe("start-up imports of the build", () => {
  it("the server bundle loads the model and MCP SDKs only on first use", () => {
    const server = read("build/index.js");
    const statics = [...staticImports(server)];
    expect(statics).toContain("@remix-run/node"); // the parser sees the bundle's imports at all
    for (const pkg of LAZY) {
      expect(statics.filter((s) => s === pkg || s.startsWith(`${pkg}/`))).toEqual([]);
      expect(dynamicImports(server)).toContain(pkg);
    }
  });

  it("a render thread loads no zod and no SDK", () => {
    const worker = read("build/render-pool/worker.js");
    const imports = [...staticImports(worker), ...dynamicImports(worker)];
    expect(imports).toContain("dotprompt");
    expect(imports.filter((s) => s === "zod" || s.startsWith("zod/"))).toEqual([]);
    expect(imports.filter((s) => LAZY.some((l) => s.startsWith(l.split("/")[0]!)))).toEqual([]);
  });
});
