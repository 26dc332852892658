// `npm run bench soak [minutes] [--postgres] [--no-build] [--concurrency N] [--mix read=45,render=25,…]`: N minutes (default 3)
// of mixed load against the production build — API reads by label, API renders, new versions saved
// through the builder's form, the library page and prompt pages — while the server's RSS, V8 heap
// and error counts are printed every 10 s, then a summary. SQLite by default; --postgres uses
// BENCH_DATABASE_URL_POSTGRES (or TEST_DATABASE_URL_POSTGRES, or postgres@127.0.0.1:5432) and a
// database of its own, dropped afterwards. Extra environment for the server (MALLOC_ARENA_MAX,
// NODE_OPTIONS, …) passes through. Prints figures; asserts nothing.
import { execFileSync, spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const args = process.argv.slice(2);
const flag = (name) => args.includes(name);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] ? Number(args[i + 1]) : fallback;
};
const minutes = Number(args.find((a, i) => /^\d+(\.\d+)?$/.test(a) && !args[i - 1]?.startsWith("--")) ?? 3);
const concurrency = option("--concurrency", 8);
const usePostgres = flag("--postgres");
const SAMPLE_MS = 10_000;

if (!flag("--no-build") && !process.env.SKIP_BUILD) {
  console.log("building the app…");
  const build = spawnSync("npm", ["run", "--silent", "build"], { cwd: root, stdio: "inherit" });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

const freePort = () =>
  new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });

// --- the database ------------------------------------------------------------------------------
let databaseUrl;
let dropDatabase = async () => {};
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "soak-"));
if (usePostgres) {
  const base =
    process.env.BENCH_DATABASE_URL_POSTGRES ||
    process.env.TEST_DATABASE_URL_POSTGRES ||
    "postgresql://postgres@127.0.0.1:5432/postgres";
  const name = `soak_${process.pid}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  databaseUrl = url.toString();
  dropDatabase = async () => {
    const c = new pg.Client({ connectionString: base });
    await c.connect();
    await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await c.end();
  };
} else {
  databaseUrl = `file:${path.join(tmp, "soak.db")}`;
}

const port = await freePort();
let metricsPort = await freePort();
// The system may hand the port just closed back again; the app refuses METRICS_PORT = PORT.
while (metricsPort === port) metricsPort = await freePort();
// The memory settings the image runs with (Dockerfile, k8s ConfigMap; docs/decisions/087); --baseline
// runs without them, for comparison.
const memoryEnv = flag("--baseline")
  ? {}
  : { MALLOC_ARENA_MAX: "2", NODE_OPTIONS: `--max-semi-space-size=4 ${process.env.NODE_OPTIONS ?? ""}`.trim() };
const env = {
  ...process.env,
  ...memoryEnv,
  NODE_ENV: "production",
  LOG_LEVEL: "warn",
  DATABASE_URL: databaseUrl,
  PORT: String(port),
  METRICS_PORT: String(metricsPort),
  HOST: "127.0.0.1",
  // One client sends everything: its limits are raised out of the way but stay switched on, so
  // their bookkeeping is part of what is measured.
  RATE_LIMIT_RENDER_PER_MINUTE: process.env.RATE_LIMIT_RENDER_PER_MINUTE ?? "1000000",
  RATE_LIMIT_WRITES_PER_MINUTE: process.env.RATE_LIMIT_WRITES_PER_MINUTE ?? "1000000",
  RATE_LIMIT_SAVES_PER_MINUTE: process.env.RATE_LIMIT_SAVES_PER_MINUTE ?? "1000000",
};
execFileSync(process.execPath, [path.join(root, "build", "cli", "setup.js")], { cwd: root, env, stdio: "inherit" });

// --node-flags "…": V8/Node flags for the server process that NODE_OPTIONS does not accept.
const nodeFlagsAt = args.indexOf("--node-flags");
const nodeFlags = nodeFlagsAt >= 0 ? args[nodeFlagsAt + 1].split(/\s+/).filter(Boolean) : [];
const server = spawn(
  process.execPath,
  [...nodeFlags, path.join(root, "node_modules/@remix-run/serve/dist/cli.js"), "build/index.js"],
  {
    cwd: root,
    env,
    stdio: ["ignore", "inherit", "inherit"],
  },
);
const base = `http://127.0.0.1:${port}`;
for (let i = 0; ; i++) {
  if (server.exitCode !== null) throw new Error(`server exited with ${server.exitCode}`);
  try {
    if ((await fetch(`${base}/healthz`)).ok) break;
  } catch {
    // not listening yet
  }
  if (i > 300) throw new Error("server did not start");
  await new Promise((r) => setTimeout(r, 100));
}

let stopping = false;
async function cleanup() {
  stopping = true;
  if (server.exitCode === null) {
    const exited = new Promise((r) => server.once("exit", r));
    server.kill("SIGTERM");
    await exited;
  }
  await dropDatabase().catch((e) => console.error(`could not drop the soak database: ${e.message}`));
  fs.rmSync(tmp, { recursive: true, force: true });
}
process.on("SIGINT", () => void cleanup().then(() => process.exit(130)));

// --- measurements -------------------------------------------------------------------------------
const rssMb = () => {
  const kb = /VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${server.pid}/status`, "utf8"))?.[1];
  return Number(kb) / 1024;
};
async function heap() {
  const text = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
  const value = (name) => Number(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, "m").exec(text)?.[1] ?? NaN) / 2 ** 20;
  return {
    heapUsed: value("nodejs_heap_size_used_bytes"),
    heapTotal: value("nodejs_heap_size_total_bytes"),
    external: value("nodejs_external_memory_bytes"),
  };
}

/** Where the server's resident memory is, by kind of mapping (/proc/PID/smaps), for --smaps. */
function printSmaps() {
  const text = fs.readFileSync(`/proc/${server.pid}/smaps`, "utf8");
  const groups = {};
  let name = "";
  let size = 0;
  for (const line of text.split("\n")) {
    const head = /^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (head) {
      name = head[1] || "[anon]";
      continue;
    }
    if (line.startsWith("Size:")) size = Number(line.split(/\s+/)[1]);
    if (line.startsWith("Rss:")) {
      const rss = Number(line.split(/\s+/)[1]);
      const key =
        name === "[anon]"
          ? `[anon] ${size >= 65536 ? "≥64 MB reservations (malloc arenas, V8/WASM cages)" : "< 64 MB"}`
          : name.startsWith("/")
            ? name.includes(".so") || name.endsWith("/node")
              ? "code (node, .so)"
              : "other files"
            : name;
      groups[key] = (groups[key] ?? 0) + rss;
    }
  }
  console.log("  resident memory by mapping (MB):");
  for (const [k, v] of Object.entries(groups).sort((a, b) => b[1] - a[1]))
    console.log(`    ${(v / 1024).toFixed(1).padStart(7)}  ${k}`);
  const status = fs.readFileSync(`/proc/${server.pid}/status`, "utf8");
  console.log(`  threads: ${/Threads:\s+(\d+)/.exec(status)?.[1]}`);
}

// --- the load -----------------------------------------------------------------------------------
await new Promise((r) => setTimeout(r, 2000));
const idle = { rss: rssMb(), ...(await heap()) };
const list = await (await fetch(`${base}/api/v1/prompts?limit=50`)).json();
const slugs = list.items.map((p) => p.slug);
if (slugs.length === 0) throw new Error("the seeded library is empty");
const pick = (xs) => xs[Math.floor(Math.random() * xs.length)];
// Values for each seeded prompt's variables, so its renders succeed.
const sampleValue = (v) =>
  ({ list: ["first", "second", "third"], number: 3, boolean: true, enum: v.enumValues?.[0] })[v.type] ??
  `sample ${v.name}`;
const valuesFor = {};
for (const slug of slugs) {
  const prompt = await (await fetch(`${base}/api/v1/prompts/${slug}`)).json();
  valuesFor[slug] = Object.fromEntries((prompt.version?.variables ?? []).map((v) => [v.name, sampleValue(v)]));
}

const draftFor = (worker, n) =>
  JSON.stringify({
    sections: [
      {
        kind: "system",
        title: "Role",
        template: `You are soak worker ${worker}. Revision ${n}.`,
        enabled: true,
        examples: [],
      },
      {
        kind: "task",
        title: "Task",
        template: `Answer {{question}} in {{tone}} tone.\n{{#each points}}- {{this}}\n{{/each}}\n${"Context line. ".repeat(40)}`,
        enabled: true,
        examples: [],
      },
    ],
    variables: [
      { name: "question", type: "text", required: true },
      { name: "tone", type: "text", required: false, default: "plain" },
      { name: "points", type: "list", required: false },
    ],
    modelSettings: { model: "gpt-4o", stop: [] },
  });

const kinds = ["read", "render", "save", "library", "page"];
// --mix read=45,render=25,save=10,library=10,page=10 (percentages; kinds left out get 0).
const mixArg = args.includes("--mix") ? args[args.indexOf("--mix") + 1] : null;
const weights = mixArg
  ? Object.fromEntries(
      kinds.map((k) => [k, Number(new RegExp(`(?:^|,)${k}=(\\d+(?:\\.\\d+)?)`).exec(mixArg)?.[1] ?? 0)]),
    )
  : { read: 45, render: 25, save: 10, library: 10, page: 10 };
const counts = Object.fromEntries(kinds.map((k) => [k, { ok: 0, errors: 0, statuses: {} }]));
const pickKind = () => {
  let r = Math.random() * 100;
  for (const k of kinds) if ((r -= weights[k]) < 0) return k;
  return "read";
};

async function ownPrompt(worker) {
  const form = new URLSearchParams({
    name: `Soak ${worker} ${process.pid}`,
    description: "",
    tags: "soak",
    folder: "",
    message: "soak",
    draft: draftFor(worker, 0),
  });
  const res = await fetch(`${base}/prompts/new`, { method: "POST", body: form, redirect: "manual" });
  const slug = /\/prompts\/([^/]+)\/edit/.exec(res.headers.get("location") ?? "")?.[1];
  if (!slug) throw new Error(`could not create the soak prompt: ${res.status}`);
  return { slug, head: 1 };
}

async function one(kind, own, worker) {
  switch (kind) {
    case "read":
      return fetch(`${base}/api/v1/prompts/${pick(slugs)}`);
    case "render": {
      const slug = pick([own.slug, ...slugs]);
      const variables = valuesFor[slug] ?? { question: "why", points: ["a", "b", "c"] };
      return fetch(`${base}/api/v1/prompts/${slug}/render`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ variables }),
      });
    }
    case "save": {
      const form = new URLSearchParams({
        draft: draftFor(worker, own.head),
        baseVersion: String(own.head),
        message: "soak",
      });
      const res = await fetch(`${base}/prompts/${own.slug}/edit`, { method: "POST", body: form, redirect: "manual" });
      const saved = Number(/saved=(\d+)/.exec(res.headers.get("location") ?? "")?.[1]);
      if (saved) own.head = saved;
      return res;
    }
    case "library":
      return fetch(`${base}/${pick(["", "?q=support", "?sort=name", "?tag=soak"])}`);
    case "page":
      return fetch(`${base}/prompts/${pick(slugs)}${pick(["", "/history", "/edit"])}`);
  }
}

const durationMs = minutes * 60_000;
const started = performance.now();
const samples = [];
console.log(
  `\nsoak: ${minutes} min, ${concurrency} concurrent clients, ${usePostgres ? "PostgreSQL" : "SQLite"}, ${flag("--baseline") ? "without the memory settings" : JSON.stringify(memoryEnv)}; mix ${kinds.map((k) => `${k} ${weights[k]}%`).join(", ")}`,
);
console.log(
  `idle after start-up: RSS ${idle.rss.toFixed(0)} MB, V8 heap used ${idle.heapUsed.toFixed(0)} MB, external ${idle.external.toFixed(0)} MB`,
);
console.log("\n   t  req/s  errors  RSS MB  heap used/total MB  external MB");

// One prompt per client, created one after another: creating prompts that share a new tag at the
// same moment fails on PostgreSQL (a concurrent tag upsert; reported with issue 10's soak).
const owned = [];
for (let i = 0; i < concurrency; i++) owned.push(await ownPrompt(i));

async function worker(i) {
  const own = owned[i];
  while (!stopping && performance.now() - started < durationMs) {
    const kind = pickKind();
    const c = counts[kind];
    try {
      const res = await one(kind, own, i);
      await res.arrayBuffer();
      c.statuses[res.status] = (c.statuses[res.status] ?? 0) + 1;
      if (res.status >= 400) c.errors++;
      else c.ok++;
    } catch (e) {
      c.errors++;
      c.statuses[e.cause?.code ?? e.message] = (c.statuses[e.cause?.code ?? e.message] ?? 0) + 1;
    }
  }
}

const total = () => kinds.reduce((n, k) => n + counts[k].ok + counts[k].errors, 0);
const errors = () => kinds.reduce((n, k) => n + counts[k].errors, 0);
let lastTotal = 0;
const sampler = setInterval(async () => {
  const t = (performance.now() - started) / 1000;
  const h = await heap().catch(() => ({ heapUsed: NaN, heapTotal: NaN, external: NaN }));
  const s = { t, rss: rssMb(), ...h, rate: (total() - lastTotal) / (SAMPLE_MS / 1000), errors: errors() };
  lastTotal = total();
  samples.push(s);
  console.log(
    `${t.toFixed(0).padStart(4)}  ${s.rate.toFixed(0).padStart(5)}  ${String(s.errors).padStart(6)}  ${s.rss.toFixed(0).padStart(6)}  ${`${s.heapUsed.toFixed(0)}/${s.heapTotal.toFixed(0)}`.padStart(18)}  ${s.external.toFixed(0).padStart(11)}`,
  );
}, SAMPLE_MS);

let failure;
try {
  await Promise.all(Array.from({ length: concurrency }, (_, i) => worker(i)));
} catch (e) {
  failure = e;
}
clearInterval(sampler);
await new Promise((r) => setTimeout(r, 5000));
const after = { rss: rssMb(), ...(await heap()) };

// Steady: the second half of the run (after warm-up).
const steady = samples.filter((s) => s.t >= durationMs / 1000 / 2);
const max = (xs) => Math.max(...xs);
const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
console.log("\nsummary");
for (const k of kinds) {
  const c = counts[k];
  console.log(
    `  ${k.padEnd(8)} ${String(c.ok + c.errors).padStart(7)} requests, ${c.errors} errors  ${JSON.stringify(c.statuses)}`,
  );
}
console.log(
  `  total    ${total()} requests in ${((performance.now() - started) / 1000).toFixed(0)} s (${(total() / (durationMs / 1000)).toFixed(0)} req/s), ${errors()} errors`,
);
console.log(
  `  RSS idle ${idle.rss.toFixed(0)} MB; peak ${max(samples.map((s) => s.rss)).toFixed(0)} MB; steady (second half) mean ${mean(steady.map((s) => s.rss)).toFixed(0)} MB, max ${max(steady.map((s) => s.rss)).toFixed(0)} MB; 5 s after the load ${after.rss.toFixed(0)} MB`,
);
console.log(
  `  V8 heap used: idle ${idle.heapUsed.toFixed(0)} MB, steady max ${max(steady.map((s) => s.heapUsed)).toFixed(0)} MB; external max ${max(samples.map((s) => s.external)).toFixed(0)} MB`,
);
console.log(`  targets (issue 10): idle ≤ 150 MB, steady ≤ 256 MB`);
if (flag("--smaps")) printSmaps();
await cleanup();
if (failure) {
  console.error(failure);
  process.exit(1);
}
