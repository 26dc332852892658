// Bundles the builder's Web Workers (app/workers/*.worker.ts) for the browser: ESM, minified, code
// split (the tokenizer encodings stay separate chunks, loaded on first use), into
// public/build/workers/<name>-<contenthash>.js — /build/* is served as immutable for a year, hence
// the hash. Writes build/workers.json ({ "<name>": "/build/workers/<name>-<hash>.js" }), which the
// server reads to give the builder routes the URL. Run after `remix build` (it may clear public/build).
// The server sends these scripts with the worker's own CSP: docs/decisions/006-render-worker-csp.md.
// Also bundles the server's render pool worker (app/server/render-pool/worker.ts) into
// build/render-pool/worker.js, the file piscina runs in its threads (docs/decisions/070-*.md).
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const srcDir = path.join(root, "app", "workers");
const outdir = path.join(root, "public", "build", "workers");
const manifestFile = path.join(root, "build", "workers.json");
const PUBLIC_PATH = "/build/workers";

const entryPoints = Object.fromEntries(
  fs
    .readdirSync(srcDir)
    .filter((f) => f.endsWith(".worker.ts"))
    .map((f) => [f.replace(/\.worker\.ts$/, ""), path.join(srcDir, f)]),
);

fs.rmSync(outdir, { recursive: true, force: true });
const result = await build({
  entryPoints,
  outdir,
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "browser",
  // Module workers: Chrome/Edge 80, Safari 15, Firefox 114. Older browsers use the server fallback.
  target: ["es2020"],
  minify: true,
  entryNames: "[name]-[hash]",
  chunkNames: "chunk-[hash]",
  sourcemap: false,
  metafile: true,
  legalComments: "none",
  define: { "process.env.NODE_ENV": '"production"' },
  alias: { "~": path.join(root, "app") },
  logLevel: "warning",
});

const manifest = {};
for (const [file, output] of Object.entries(result.metafile.outputs)) {
  if (!output.entryPoint) continue;
  const name = Object.entries(entryPoints).find(([, p]) => path.relative(root, p) === output.entryPoint)?.[0];
  if (name) manifest[name] = `${PUBLIC_PATH}/${path.basename(file)}`;
}
for (const name of Object.keys(entryPoints)) {
  if (!manifest[name]) throw new Error(`no output for worker ${name}`);
}
fs.mkdirSync(path.dirname(manifestFile), { recursive: true });
fs.writeFileSync(manifestFile, `${JSON.stringify(manifest, null, 2)}\n`);
// The server-side worker: Node ESM beside the server build; npm packages stay in node_modules.
const poolOut = path.join(root, "build", "render-pool");
fs.rmSync(poolOut, { recursive: true, force: true });
await build({
  entryPoints: { worker: path.join(root, "app", "server", "render-pool", "worker.ts") },
  outdir: poolOut,
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node22",
  packages: "external",
  sourcemap: "linked",
  alias: { "~": path.join(root, "app") },
  logLevel: "warning",
});
const files = Object.keys(result.metafile.outputs).length;
console.log(
  `bundled ${Object.keys(entryPoints).length} worker(s) into public/build/workers/ (${files} files): ${Object.values(manifest).join(", ")}; the render pool worker into build/render-pool/`,
);
