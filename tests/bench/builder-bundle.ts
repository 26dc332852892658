/**
 * Builder page JavaScript, gzip-compressed, from the production build (run `npm run build` first):
 * what the browser downloads to show /prompts/new and /prompts/:slug/edit, and what it loads
 * later on demand (the CodeMirror editor, the tokenizer encodings, the render worker).
 *
 *   npx tsx tests/bench/builder-bundle.ts
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const PUBLIC = path.join(ROOT, "public");
const BUILD = path.join(PUBLIC, "build");

if (!fs.existsSync(BUILD)) {
  console.log("public/build is missing: run `npm run build` first.");
  process.exit(0);
}
const manifestFile = fs.readdirSync(BUILD).find((f) => /^manifest-.*\.js$/.test(f));
if (!manifestFile) throw new Error("no Remix manifest in public/build");
const manifestText = fs.readFileSync(path.join(BUILD, manifestFile), "utf8");
const manifest = JSON.parse(manifestText.slice(manifestText.indexOf("{"), manifestText.lastIndexOf("}") + 1)) as {
  entry: { module: string; imports: string[] };
  routes: Record<string, { module: string; imports?: string[]; css?: string[] }>;
};

const size = (url: string) => {
  const buf = fs.readFileSync(path.join(PUBLIC, url));
  return { raw: buf.length, gzip: gzipSync(buf, { level: 9 }).length };
};
const kb = (n: number) => `${(n / 1024).toFixed(1)} kB`;

function pageFiles(routeId: string): string[] {
  const files = new Set<string>([manifest.entry.module, ...manifest.entry.imports]);
  for (const id of ["root", routeId]) {
    const r = manifest.routes[id];
    if (!r) throw new Error(`route ${id} not in manifest`);
    files.add(r.module);
    for (const i of r.imports ?? []) files.add(i);
  }
  return [...files];
}

function report(label: string, files: string[]) {
  let raw = 0;
  let gzip = 0;
  for (const f of files) {
    const s = size(f);
    raw += s.raw;
    gzip += s.gzip;
  }
  console.log(`${label.padEnd(44)} ${kb(gzip).padStart(10)} gzip  (${kb(raw)} raw, ${files.length} files)`);
  return gzip;
}

console.log("Builder page JavaScript (production build, gzip -9)\n");
const initialNew = report("initial: /prompts/new (entry + root + route)", pageFiles("routes/prompts.new"));
report("initial: /prompts/:slug/edit", pageFiles("routes/prompts.$slug.edit"));

const shared = fs.readdirSync(path.join(BUILD, "_shared")).map((f) => `/build/_shared/${f}`);
const lazy = (re: RegExp) => shared.filter((f) => re.test(path.basename(f)));
const cm = report("lazy: CodeMirror editor", lazy(/^codemirror\.client-/));
const o200k = report("lazy: o200k_base tokenizer (GPT-4o/4.1/5, o-series)", lazy(/^o200k_base-/));
report("lazy: cl100k_base tokenizer (GPT-3.5)", lazy(/^cl100k_base-/));
report("lazy: server-render fallback (no worker)", lazy(/^preview-fallback-/));
const workersDir = path.join(BUILD, "workers");
const workerFiles = fs.existsSync(workersDir) ? fs.readdirSync(workersDir).map((f) => `/build/workers/${f}`) : [];
let workerVisit = 0;
if (workerFiles.length) {
  const encodings = workerFiles.filter((f) => fs.statSync(path.join(PUBLIC, f)).size > 500_000);
  const worker = report(
    "worker: render (dotprompt, Handlebars, domain)",
    workerFiles.filter((f) => !encodings.includes(f)),
  );
  report("worker: tokenizer encodings (one loaded per model)", encodings);
  const biggest = encodings.sort(
    (a, b) => fs.statSync(path.join(PUBLIC, b)).size - fs.statSync(path.join(PUBLIC, a)).size,
  )[0];
  workerVisit = worker + (biggest ? size(biggest).gzip : 0);
} else {
  console.log("worker: public/build/workers is missing (run scripts/build-workers.mjs)");
}
const initialFiles = new Set(pageFiles("routes/prompts.new"));
const inInitial = [...lazy(/^codemirror\.client-/), ...lazy(/^o200k_base-/)].filter((f) => initialFiles.has(f));
console.log(
  `\nEditor and tokenizer in the initial download: ${inInitial.length ? `YES (${inInitial.join(", ")})` : "no — loaded lazily"}`,
);
// Markers of the libraries only the worker (or the fallback) needs.
const markers: Record<string, RegExp> = {
  Handlebars: /compilerInfo|Handlebars/,
  dotprompt: /definePartial/,
  zod: /ZodError/,
};
const initialText = [...initialFiles].map((f) => fs.readFileSync(path.join(PUBLIC, f), "utf8")).join("\n");
const found = Object.entries(markers)
  .filter(([, re]) => re.test(initialText))
  .map(([name]) => name);
console.log(`Handlebars, dotprompt, zod in the initial download: ${found.length ? `YES (${found.join(", ")})` : "no"}`);
console.log(
  workerVisit
    ? `Typical first builder visit (initial + editor + render worker with o200k): ${kb(initialNew + cm + workerVisit)} gzip`
    : `Typical first builder visit (initial + editor + o200k): ${kb(initialNew + cm + o200k)} gzip`,
);
