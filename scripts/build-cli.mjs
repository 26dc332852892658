// Bundles every scripts/cli/*.ts into build/cli/<name>.js (ESM, Node platform), so operational
// commands (migrate, seed, backup, restore, trash-purge) run in the production image with plain
// `node` and no TypeScript tooling; they leave npm packages external (the image has node_modules).
// The git-sync client (prompt-builder.ts, docs/git-sync.md) is a client of the HTTP API only, so it
// is bundled with its packages into one self-contained file with a shebang: the package's
// `prompt-builder` bin, which a CI job elsewhere can run with Node alone.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const cliDir = path.join(root, "scripts", "cli");
const outdir = path.join(root, "build", "cli");
const CLIENT = "prompt-builder.ts";
const entryPoints = fs
  .readdirSync(cliDir)
  .filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts") && f !== CLIENT)
  .map((f) => path.join(cliDir, f));

const common = {
  outdir,
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  sourcemap: "linked",
  alias: { "~": path.join(root, "app") },
  logLevel: "warning",
};
await build({ ...common, entryPoints, packages: "external" });
// Minified, without a source map: it ships in the image's build/ too, where every MB counts
// (tests/deploy/runtime-files.test.ts), and its users see sentences, not stack traces.
fs.rmSync(path.join(outdir, `${CLIENT.replace(/\.ts$/, "")}.js.map`), { force: true });
await build({
  ...common,
  sourcemap: false,
  minify: true,
  entryPoints: [path.join(cliDir, CLIENT)],
  // Some bundled packages are CommonJS and call require(): give the ESM bundle one.
  banner: {
    js: '#!/usr/bin/env node\nimport { createRequire as __pbCreateRequire } from "node:module";\nconst require = __pbCreateRequire(import.meta.url);',
  },
});
fs.chmodSync(path.join(outdir, "prompt-builder.js"), 0o755);
console.log(`bundled ${entryPoints.length + 1} commands into build/cli/`);
