// `npm run bench api`: the serving path side by side, in one run, on SQLite and PostgreSQL —
// req/s, p50, p99 and server RSS for the bare Node http ceiling, /healthz (the framework floor),
// GET by label, GET with If-None-Match (304), render (repeated values, and new values each request),
// with each figure's ratio to /healthz and the targets of issue 10 (docs/decisions/080).
// wrk (Debian package) drives the load; server and wrk are pinned to different cores when
// `taskset` exists (they still share the machine). Environment: BENCH_SECONDS per measurement
// (default 4), BENCH_ROUNDS (3),
// BENCH_CONNECTIONS (16), BENCH_POSTGRES_URL (default postgresql://postgres@127.0.0.1:5432/postgres;
// "" skips PostgreSQL).
import { execFileSync, spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";

const SECONDS = Number(process.env.BENCH_SECONDS || 4);
// Each case runs once per round, the rounds in rotation, and the median is printed: on a shared
// machine the load drifts during a run, and rotation spreads that drift over every case alike.
const ROUNDS = Number(process.env.BENCH_ROUNDS || 3);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS || 16);
const POSTGRES_URL = process.env.BENCH_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
const SLUG = "support-reply";
const LABEL = "production";

const has = (cmd) => spawnSync("sh", ["-c", `command -v ${cmd}`]).status === 0;
const pinned = (core, cmd, args) => (has("taskset") ? ["taskset", ["-c", String(core), cmd, ...args]] : [cmd, args]);

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

async function waitForOk(url, child, ms = 60_000) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      /* not yet */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${url}`);
}

function stop(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once("exit", () => resolve());
    process.kill(child.pid, "SIGTERM");
    setTimeout(() => child.exitCode === null && child.signalCode === null && process.kill(child.pid, "SIGKILL"), 5000);
  });
}

const rssMb = (pid) => {
  try {
    const kb = /VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
    return kb ? Number(kb) / 1024 : NaN;
  } catch {
    return NaN;
  }
};

/**
 * CPU time (user + system, all threads) a process has used, in ms. Per request it is the steadier
 * figure on a shared machine: req/s depends on how much of a core the scheduler gives the server,
 * CPU per request much less. Its ratio to the floor's is the req/s ratio a CPU-bound server reaches.
 */
const cpuMs = (pid) => {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // USER_HZ is 100 on Linux
  } catch {
    return NaN;
  }
};

const toMs = (value, unit) => Number(value) * ({ us: 0.001, ms: 1, s: 1000, m: 60_000 }[unit] ?? 1);

/** One wrk run: req/s, p50, p99, errors (non-2xx/3xx and socket errors). */
function wrk(url, { script, headers = {}, seconds = SECONDS } = {}) {
  const args = ["-t1", `-c${CONNECTIONS}`, `-d${seconds}s`, "--latency"];
  for (const [k, v] of Object.entries(headers)) args.push("-H", `${k}: ${v}`);
  if (script) args.push("-s", script);
  args.push(url);
  const [cmd, full] = pinned(1, "wrk", args);
  const out = execFileSync(cmd, full, { encoding: "utf8" });
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1]);
  const pct = (p) => {
    const m = new RegExp(`^\\s+${p}%\\s+([\\d.]+)(us|ms|s|m)`, "m").exec(out);
    return m ? toMs(m[1], m[2]) : NaN;
  };
  const non2xx = Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(out)?.[1] ?? 0);
  const requests = Number(/(\d+) requests in/.exec(out)?.[1] ?? NaN);
  const socket = /Socket errors:.*?(\d+).*?(\d+).*?(\d+).*?(\d+)/.exec(out);
  const socketErrors = socket ? socket.slice(1).reduce((a, b) => a + Number(b), 0) : 0;
  return { rps, p50: pct(50), p99: pct(99), errors: non2xx + socketErrors, requests };
}

function luaPost(file, body, { distinct = false } = {}) {
  const lua = distinct
    ? `local n = 0
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
request = function()
  n = n + 1
  return wrk.format(nil, nil, nil, string.format(${JSON.stringify(body)}, n))
end
`
    : `wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = ${JSON.stringify(body)}
`;
  fs.writeFileSync(file, lua);
  return file;
}

/** The bare Node http ceiling: the same JSON as GET by label, from a plain http server. */
async function startCeiling(body) {
  const port = await freePort();
  const src = `require("node:http").createServer((q, s) => { s.writeHead(200, { "content-type": "application/json" }); s.end(${JSON.stringify(body)}); }).listen(${port}, "127.0.0.1");`;
  const [cmd, args] = pinned(0, process.execPath, ["-e", src]);
  const child = spawn(cmd, args, { stdio: "ignore" });
  await waitForOk(`http://127.0.0.1:${port}/`, child);
  return { child, url: `http://127.0.0.1:${port}/` };
}

async function pgAdmin(fn) {
  const { default: pg } = await import("pg");
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** A fresh database with the starters and a `production` label on support-reply. */
async function prepareDatabase(kind, root, dir) {
  if (kind === "sqlite") {
    const url = `file:${path.join(dir, "app.db")}`;
    execFileSync(process.execPath, [path.join(root, "build", "cli", "setup.js")], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: url, LOG_LEVEL: "warn" },
      stdio: ["ignore", "ignore", "inherit"],
    });
    const { default: Database } = await import("better-sqlite3");
    const db = new Database(url.slice("file:".length));
    db.prepare(insertLabelSql("?", "0")).run(new Date().toISOString());
    db.close();
    return { url, drop: async () => {} };
  }
  const name = `pb_bench_${Date.now().toString(36)}`;
  await pgAdmin((c) => c.query(`CREATE DATABASE "${name}"`));
  const u = new URL(POSTGRES_URL);
  u.pathname = `/${name}`;
  const url = u.toString();
  execFileSync(process.execPath, [path.join(root, "build", "cli", "setup.js")], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: url, LOG_LEVEL: "warn" },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const { default: pg } = await import("pg");
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(insertLabelSql("$1", "false"), [new Date()]);
  await client.end();
  return { url, drop: () => pgAdmin((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)) };
}

const insertLabelSql = (
  at,
  no,
) => `INSERT INTO "Label" ("id", "promptId", "name", "versionId", "protected", "updatedAt")
  SELECT 'bench-label', p."id", '${LABEL}', v."id", ${no}, ${at} FROM "Prompt" p
  JOIN "PromptVersion" v ON v."promptId" = p."id" AND v."number" = p."headVersion" WHERE p."slug" = '${SLUG}'`;

async function startApp(root, databaseUrl) {
  const port = await freePort();
  let metricsPort = await freePort();
  // The system may hand the port just closed back again; the app refuses METRICS_PORT = PORT.
  while (metricsPort === port) metricsPort = await freePort();
  const serve = path.join(root, "node_modules", "@remix-run", "serve", "dist", "cli.js");
  const [cmd, args] = pinned(0, process.execPath, [serve, "build/index.js"]);
  const child = spawn(cmd, args, {
    cwd: root,
    env: {
      ...process.env,
      NODE_ENV: "production",
      LOG_LEVEL: "warn",
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      METRICS_PORT: String(metricsPort),
      HOST: "127.0.0.1",
      // The memory settings the server runs with everywhere (npm run serve, the image, the
      // ConfigMap; docs/decisions/087-memory-under-load.md), so the RSS column is the real one.
      MALLOC_ARENA_MAX: "2",
      NODE_OPTIONS: `--max-semi-space-size=4 ${process.env.NODE_OPTIONS ?? ""}`.trim(),
      // One client address sends everything here: with the per-client limits on, most renders would
      // be 429s (cheap refusals, not the serving path). The limiter has its own tests.
      RATE_LIMIT_RENDER_PER_MINUTE: "0",
      RATE_LIMIT_WRITES_PER_MINUTE: "0",
      RATE_LIMIT_SAVES_PER_MINUTE: "0",
    },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const base = `http://127.0.0.1:${port}`;
  await waitForOk(`${base}/healthz`, child);
  return { child, base };
}

const f0 = (x) => (Number.isFinite(x) ? x.toFixed(0) : "—");
const f1 = (x) => (Number.isFinite(x) ? x.toFixed(1) : "—");
const f2 = (x) => (Number.isFinite(x) ? x.toFixed(2) : "—");

async function benchDatabase(kind, root, tmp) {
  const dir = fs.mkdtempSync(path.join(tmp, `${kind}-`));
  const database = await prepareDatabase(kind, root, dir);
  const app = await startApp(root, database.url);
  const rows = [];
  let ceiling;
  try {
    const getUrl = `${app.base}/api/v1/prompts/${SLUG}?label=${LABEL}`;
    const first = await fetch(getUrl);
    if (first.status !== 200) throw new Error(`GET by label answered ${first.status}: ${await first.text()}`);
    const etag = first.headers.get("etag");
    const body = await first.text();
    const renderUrl = `${app.base}/api/v1/prompts/${SLUG}/render`;
    const values = {
      customer_name: "Priya",
      customer_message: "I was charged twice for my March invoice (INV-2291). Can you refund the duplicate?",
      tone: "apologetic",
    };
    const renderBody = JSON.stringify({ label: LABEL, target: "openai", variables: values });
    const probe = await fetch(renderUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: renderBody,
    });
    if (probe.status !== 200) throw new Error(`render answered ${probe.status}: ${await probe.text()}`);
    const distinctBody = JSON.stringify({
      label: LABEL,
      target: "openai",
      variables: { ...values, customer_message: "Where is order %d?" },
    });
    ceiling = await startCeiling(body);
    const cases = [
      ["bare node http (ceiling)", (seconds) => wrk(ceiling.url, { seconds }), ceiling.child.pid],
      ["/healthz (floor)", (seconds) => wrk(`${app.base}/healthz`, { seconds })],
      ["GET by label", (seconds) => wrk(getUrl, { seconds })],
      ["GET by label, If-None-Match → 304", (seconds) => wrk(getUrl, { seconds, headers: { "If-None-Match": etag } })],
      [
        "render (same values)",
        (seconds) => wrk(renderUrl, { seconds, script: luaPost(path.join(dir, "render.lua"), renderBody) }),
      ],
      [
        "render (new values each request)",
        (seconds) =>
          wrk(renderUrl, {
            seconds,
            script: luaPost(path.join(dir, "render-new.lua"), distinctBody, { distinct: true }),
          }),
      ],
    ];
    for (const [, measure] of cases) measure(2); // warm-up (JIT, caches, the pool's thread), not counted
    const runs = cases.map(() => []);
    for (let round = 0; round < ROUNDS; round++)
      cases.forEach(([, measure, pid = app.child.pid], i) => {
        const before = cpuMs(pid);
        const result = measure(SECONDS);
        runs[i].push({ ...result, cpu: (cpuMs(pid) - before) / result.requests });
      });
    const median = (xs) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];
    cases.forEach(([name, , pid = app.child.pid], i) => {
      const r = runs[i];
      rows.push({
        name,
        rps: median(r.map((x) => x.rps)),
        p50: median(r.map((x) => x.p50)),
        p99: median(r.map((x) => x.p99)),
        errors: r.reduce((n, x) => n + x.errors, 0),
        cpu: median(r.map((x) => x.cpu)),
        rss: rssMb(pid),
      });
    });
  } finally {
    if (ceiling) await stop(ceiling.child);
    await stop(app.child);
    await database.drop();
  }
  return rows;
}

function print(kind, rows) {
  const floor = rows.find((r) => r.name.startsWith("/healthz"));
  console.log(
    `\n${kind}  (wrk -t1 -c${CONNECTIONS}, median of ${ROUNDS} rounds of ${SECONDS} s in rotation; server and wrk pinned to separate cores of a shared 2-core machine; RSS after the last round)`,
  );
  console.log(
    [
      "what".padEnd(36),
      "req/s".padStart(8),
      "p50 ms".padStart(8),
      "p99 ms".padStart(8),
      "RSS MB".padStart(8),
      "÷ floor".padStart(8),
      "p99 ÷ floor".padStart(12),
      "CPU ms/req".padStart(11),
      "CPU: floor ÷".padStart(13),
      "errors".padStart(7),
    ].join(" "),
  );
  for (const r of rows) {
    console.log(
      [
        r.name.padEnd(36),
        f0(r.rps).padStart(8),
        f2(r.p50).padStart(8),
        f2(r.p99).padStart(8),
        f1(r.rss).padStart(8),
        f2(r.rps / floor.rps).padStart(8),
        f2(r.p99 / floor.p99).padStart(12),
        r.cpu.toFixed(3).padStart(11),
        f2(floor.cpu / r.cpu).padStart(13),
        String(r.errors).padStart(7),
      ].join(" "),
    );
  }
  const get = rows.find((r) => r.name === "GET by label");
  const render = rows.find((r) => r.name === "render (same values)");
  const verdict = (ok) => (ok ? "met" : "NOT met");
  console.log(
    `targets: GET by label ≥ 0.67 × floor req/s: ${verdict(get.rps >= (2 / 3) * floor.rps)}; render ≥ 0.5 ×: ${verdict(render.rps >= 0.5 * floor.rps)}; ` +
      `p99 ≤ 2 × floor p99: GET ${verdict(get.p99 <= 2 * floor.p99)}, render ${verdict(render.p99 <= 2 * floor.p99)}`,
  );
  console.log(
    `by CPU per request (CPU-bound server): GET ${verdict(floor.cpu / get.cpu >= 2 / 3)}, render ${verdict(floor.cpu / render.cpu >= 0.5)}` +
      (rows.some((r) => r.errors > 0) ? "; some cases had errors: their figures do not count" : ""),
  );
}

export async function run({ root }) {
  if (!has("wrk")) {
    console.error("wrk is not installed: apt-get install -y wrk");
    process.exit(1);
  }
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "pb-bench-api-"));
  try {
    const kinds = ["sqlite", ...(POSTGRES_URL ? ["postgres"] : [])];
    const results = [];
    for (const kind of kinds) results.push([kind, await benchDatabase(kind, root, tmp)]);
    for (const [kind, rows] of results) print(kind === "sqlite" ? "SQLite" : "PostgreSQL", rows);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
