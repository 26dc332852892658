// `npm run bench`: runs every tests/bench/*.ts in turn (each prints its own figures) and stops at
// the first that fails. Pass names to run a subset: `npm run bench -- library-search`.
// `npm run bench soak [minutes] [--postgres]` runs the mixed-load soak instead (scripts/bench/soak.mjs).
// `npm run bench <mode>` with a module scripts/bench/<mode>.mjs (e.g. `api`) runs that mode instead:
// it exports `run({ root })`.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
// Modes with a script of their own: `npm run bench soak [minutes]` (scripts/bench/soak.mjs).
const MODES = { soak: "soak.mjs" };
if (MODES[process.argv[2]]) {
  const script = path.join(root, "scripts", "bench", MODES[process.argv[2]]);
  const run = spawnSync(process.execPath, [script, ...process.argv.slice(3)], { cwd: root, stdio: "inherit" });
  process.exit(run.status ?? 1);
}
const dir = path.join(root, "tests", "bench");
const wanted = process.argv.slice(2);
const modeFile = wanted.length === 1 ? path.join(root, "scripts", "bench", `${wanted[0]}.mjs`) : null;
if (modeFile && fs.existsSync(modeFile)) {
  console.log("building the app for the benchmark…");
  const built = spawnSync("npm", ["run", "--silent", "build"], { cwd: root, stdio: "inherit" });
  if (built.status !== 0) process.exit(built.status ?? 1);
  const mode = await import(modeFile);
  await mode.run({ root });
  process.exit(0);
}
const files = fs
  .readdirSync(dir)
  .filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts") && !f.startsWith("_"))
  .filter((f) => wanted.length === 0 || wanted.some((w) => f.includes(w)))
  .sort();
if (files.length === 0) {
  console.error(`no benchmarks match ${wanted.join(", ")}`);
  process.exit(1);
}
// Benchmarks measure the production build (the builder page in Chromium, the server's routes).
console.log("building the app for the benchmarks…");
const build = spawnSync("npm", ["run", "--silent", "build"], { cwd: root, stdio: "inherit" });
if (build.status !== 0) process.exit(build.status ?? 1);
const tsx = path.join(root, "node_modules", "tsx", "dist", "cli.mjs");
for (const file of files) {
  console.log(`\n=== ${file} ===`);
  const result = spawnSync(process.execPath, [tsx, path.join(dir, file)], { cwd: root, stdio: "inherit" });
  if (result.status !== 0) {
    console.error(`${file} failed with exit code ${result.status}`);
    process.exit(result.status ?? 1);
  }
}
