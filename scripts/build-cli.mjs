// Bundles every scripts/cli/*.ts into build/cli/<name>.js (ESM, Node platform, npm packages left
// external), so operational commands (migrate, seed, backup, restore, trash-purge) and the git-sync client (prompt-builder) run in the production image
// with plain `node` and no TypeScript tooling.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const cliDir = path.join(root, "scripts", "cli");
const entryPoints = fs
  .readdirSync(cliDir)
  .filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"))
  .map((f) => path.join(cliDir, f));

await build({
  entryPoints,
  outdir: path.join(root, "build", "cli"),
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  packages: "external",
  sourcemap: "linked",
  alias: { "~": path.join(root, "app") },
  logLevel: "warning",
  // So build/cli/prompt-builder.js runs as the package's `prompt-builder` bin (npx prompt-builder).
  banner: { js: "#!/usr/bin/env node" },
});
fs.chmodSync(path.join(root, "build", "cli", "prompt-builder.js"), 0o755);
console.log(`bundled ${entryPoints.length} commands into build/cli/`);
