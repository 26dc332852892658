/**
 * Library at scale: a generated library of 100,000 prompts (3 versions each, tags, folders,
 * labels), one prompt with 1,000 versions and two 20k-token versions; prints the server time of
 * the library page, search p50/p95, the history page and the diff of the two big versions, on
 * SQLite and (when reachable) PostgreSQL.
 *
 *   npx tsx tests/bench/library-scale.ts            # both databases
 *   BENCH_PROMPTS=20000 npx tsx tests/bench/library-scale.ts
 *   BENCH_DATABASES=sqlite npx tsx tests/bench/library-scale.ts
 *
 * Data is written with bulk SQL (prepared statements in one transaction on SQLite, multi-row
 * INSERTs on PostgreSQL), not one Prisma call per row. The timed code is what the routes call
 * (app/models/*), in this process: "server time" without HTTP.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import pg from "pg";
import { createDb, type Db } from "../../app/server/db.server";
import { searchDocument } from "../../app/library/search-text";
import { libraryPage } from "../../app/models/library-page.server";
import { getHistory } from "../../app/models/history.server";
import { comparePrompts } from "../../app/models/compare.server";
import { diffDrafts } from "../../app/prompt/diff";
import type { PromptDraft } from "../../app/prompt/draft";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const N = Number(process.env.BENCH_PROMPTS || 100_000);
const VERSIONS = 3;
const RUNS = Number(process.env.BENCH_RUNS || 200);
const PG_URL =
  process.env.BENCH_DATABASE_URL_POSTGRES ||
  process.env.TEST_DATABASE_URL_POSTGRES ||
  "postgresql://postgres@127.0.0.1:5432/postgres";
const KINDS = (process.env.BENCH_DATABASES || "sqlite,postgres").split(",");

// ---------------------------------------------------------------------------------------------
// Deterministic data
let seed = 42;
function rand(): number {
  seed = (seed * 1664525 + 1013904223) % 4294967296;
  return seed / 4294967296;
}
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
const SYLLABLES = [
  "ka",
  "lo",
  "mi",
  "ne",
  "ru",
  "ta",
  "vo",
  "zi",
  "pe",
  "sa",
  "do",
  "fu",
  "gi",
  "ha",
  "je",
  "ko",
  "li",
  "mo",
  "nu",
  "po",
];
const VOCAB: string[] = [];
for (let i = 0; VOCAB.length < 3000; i++) {
  const n = 2 + (i % 3);
  let w = "";
  let x = i;
  for (let j = 0; j < n; j++) {
    w += SYLLABLES[x % SYLLABLES.length];
    x = Math.floor(x / SYLLABLES.length) + j * 7;
  }
  if (!VOCAB.includes(w)) VOCAB.push(w);
}
const COMMON = [
  "the",
  "customer",
  "reply",
  "summary",
  "support",
  "refund",
  "policy",
  "answer",
  "email",
  "ticket",
  "tone",
  "concise",
  "json",
  "list",
  "language",
];
// Zipf-like: low indexes far more frequent.
const word = () => (rand() < 0.3 ? pick(COMMON) : VOCAB[Math.floor(Math.pow(rand(), 2.2) * VOCAB.length)]!);
const words = (n: number) => Array.from({ length: n }, word).join(" ");
const TAGS = Array.from({ length: 200 }, (_, i) => `tag${i}`);
const TOP = ["support", "sales", "engineering", "marketing", "legal", "research", "ops", "hr"];
const FOLDERS = TOP.flatMap((t) => [
  t,
  ...Array.from({ length: 12 }, (_, i) => `${t}/team${i}`),
  ...Array.from({ length: 6 }, (_, i) => `${t}/team${i}/sub`),
]);
const iso = (ms: number) => new Date(ms).toISOString();
const sqliteTime = (ms: number) => iso(ms).replace("Z", "+00:00");
const KINDS_OF_SECTION = ["system", "context", "task"] as const;

type Row = Record<string, unknown>;
type Sink = { insert(table: string, rows: Row[]): Promise<void>; flush(): Promise<void> };

function sectionsFor(p: number, v: number) {
  return KINDS_OF_SECTION.map((kind, i) => ({
    key: `k${p}_${i}`,
    kind,
    title: kind === "system" ? "Role" : kind === "task" ? "Task" : "Context",
    template: `${words(12 + i * 4)} {{topic}} ${v > 1 ? words(3) : ""}`.trim(),
  }));
}

async function generate(sink: Sink) {
  const t0 = performance.now();
  seed = 42;
  const base = Date.UTC(2025, 0, 1);
  const folderIds = new Map<string, string>();
  const folderRows: Row[] = [];
  for (const f of FOLDERS) {
    const id = `f${folderRows.length}`;
    folderIds.set(f, id);
    const parent = f.includes("/") ? folderIds.get(f.slice(0, f.lastIndexOf("/")))! : null;
    folderRows.push({ id, path: f, name: f.split("/").pop()!, parentId: parent, createdAt: base });
  }
  await sink.insert("Folder", folderRows);
  await sink.insert(
    "Tag",
    TAGS.map((name, i) => ({ id: `t${i}`, name, createdAt: base })),
  );
  for (let p = 0; p < N; p++) {
    const id = `p${p.toString(36).padStart(6, "0")}`;
    const name = `${pick(COMMON)} ${words(2)} ${p}`;
    const description = words(8);
    const created = base + p * 60_000;
    const updated = created + Math.floor(rand() * 300 * 86_400_000);
    let head: ReturnType<typeof sectionsFor> = [];
    const versionRows: Row[] = [];
    const sectionRows: Row[] = [];
    for (let v = 1; v <= VERSIONS; v++) {
      const vid = `${id}v${v}`;
      versionRows.push({
        id: vid,
        promptId: id,
        number: v,
        message: `change ${v}`,
        authorId: null,
        modelSettings: '{"model":"gpt-4o","stop":[]}',
        createdAt: created + v * 1000,
      });
      const secs = sectionsFor(p, v);
      secs.forEach((s, position) =>
        sectionRows.push({
          id: `${vid}s${position}`,
          versionId: vid,
          position,
          kind: s.kind,
          title: s.title,
          template: s.template,
          enabled: true,
          data: "{}",
          key: s.key,
        }),
      );
      head = secs;
    }
    await sink.insert("Prompt", [
      {
        id,
        name,
        slug: `prompt-${p}`,
        description,
        favorite: rand() < 0.02,
        folderId: rand() < 0.9 ? folderIds.get(pick(FOLDERS))! : null,
        ownerId: null,
        headVersion: VERSIONS,
        createdAt: created,
        updatedAt: updated,
        deletedAt: rand() < 0.01 ? updated : null,
        searchText: searchDocument({ name, description, sections: head }),
      },
    ]);
    await sink.insert("PromptVersion", versionRows);
    await sink.insert("Section", sectionRows);
    const tagA = Math.floor(Math.pow(rand(), 1.5) * TAGS.length);
    const tagB = (tagA + 1 + Math.floor(rand() * 50)) % TAGS.length;
    await sink.insert("PromptTag", [
      { promptId: id, tagId: `t${tagA}` },
      { promptId: id, tagId: `t${tagB}` },
    ]);
    if (rand() < 0.3)
      await sink.insert("Label", [
        { id: `${id}lp`, promptId: id, name: "production", versionId: `${id}v2`, protected: false, updatedAt: updated },
      ]);
    if (rand() < 0.1)
      await sink.insert("Label", [
        { id: `${id}ls`, promptId: id, name: "staging", versionId: `${id}v3`, protected: false, updatedAt: updated },
      ]);
  }
  await sink.flush();
  return performance.now() - t0;
}

const DATE_COLUMNS = new Set(["createdAt", "updatedAt", "deletedAt"]);

function sqliteSink(file: string): Sink & { close(): void } {
  const db = new Database(file);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = OFF");
  const stmts = new Map<string, Database.Statement>();
  db.exec("BEGIN");
  return {
    async insert(table, rows) {
      for (const row of rows) {
        const cols = Object.keys(row);
        const key = `${table}:${cols.join(",")}`;
        let st = stmts.get(key);
        if (!st) {
          st = db.prepare(
            `INSERT INTO "${table}" (${cols.map((c) => `"${c}"`).join(",")}) VALUES (${cols.map(() => "?").join(",")})`,
          );
          stmts.set(key, st);
        }
        st.run(
          cols.map((c) => {
            const v = row[c];
            if (DATE_COLUMNS.has(c) && typeof v === "number") return sqliteTime(v);
            return typeof v === "boolean" ? (v ? 1 : 0) : v;
          }),
        );
      }
    },
    async flush() {
      db.exec("COMMIT");
      // One merged FTS index, as after any bulk import.
      db.exec(`INSERT INTO prompt_fts (prompt_fts) VALUES ('optimize')`);
      db.exec("ANALYZE");
      db.pragma("wal_checkpoint(TRUNCATE)");
    },
    close: () => db.close(),
  };
}

function postgresSink(client: pg.Client): Sink {
  const buffers = new Map<string, { cols: string[]; rows: Row[] }>();
  const ORDER = ["Folder", "Tag", "Prompt", "PromptVersion", "Section", "PromptTag", "Label"];
  async function write(table: string) {
    const b = buffers.get(table);
    if (!b || !b.rows.length) return;
    const params: unknown[] = [];
    const tuples = b.rows.map(
      (row) =>
        `(${b.cols
          .map((c) => {
            const v = row[c];
            params.push(DATE_COLUMNS.has(c) && typeof v === "number" ? iso(v) : (v ?? null));
            return `$${params.length}`;
          })
          .join(",")})`,
    );
    await client.query(
      `INSERT INTO "${table}" (${b.cols.map((c) => `"${c}"`).join(",")}) VALUES ${tuples.join(",")}`,
      params,
    );
    b.rows = [];
  }
  return {
    async insert(table, rows) {
      for (const row of rows) {
        let b = buffers.get(table);
        if (!b) buffers.set(table, (b = { cols: Object.keys(row), rows: [] }));
        b.rows.push(row);
        if (b.rows.length * b.cols.length > 30_000) {
          // Parents first, so foreign keys hold.
          for (const t of ORDER) {
            await write(t);
            if (t === table) break;
          }
        }
      }
    },
    async flush() {
      for (const t of ORDER) await write(t);
      await client.query("ANALYZE");
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Big prompts for history and diff
function bigDraft(variant: number): PromptDraft {
  seed = 7;
  const sections = Array.from({ length: 20 }, (_, i) => {
    const paragraphs = Array.from({ length: 10 }, () => words(80));
    if (variant === 2) {
      if (i % 3 === 0) paragraphs[3] = words(80);
      if (i % 4 === 1) paragraphs.splice(5, 0, words(40));
      if (i % 5 === 2) paragraphs[7] = paragraphs[7]!.replace(/ (\w+) /, " changed ");
    }
    return {
      id: `big${i}`,
      kind: "custom" as const,
      title: `Part ${i + 1}`,
      template: paragraphs.join("\n\n"),
      enabled: i !== 7 || variant === 1,
      examples: [],
    };
  });
  if (variant === 2) sections.push(sections.splice(4, 1)[0]!); // a moved section
  return {
    sections,
    variables: [{ name: "topic", type: "string", required: true, enumValues: [], description: "" }],
    modelSettings: { model: "gpt-4o", temperature: variant === 2 ? 0.4 : 0.2, stop: [] },
  };
}

async function addHistoryPrompt(db: Db) {
  const { createPrompt, saveVersion } = await import("../../app/models/prompt-store.server");
  const d = (i: number): PromptDraft => ({
    sections: [
      { id: "a", kind: "task", title: "Task", template: `Version ${i}: ${words(30)}`, enabled: true, examples: [] },
    ],
    variables: [],
    modelSettings: { model: "gpt-4o", stop: [] },
  });
  const { prompt } = await createPrompt(db, {
    meta: { name: "Long history", description: "1,000 versions", tags: [], folder: "" },
    draft: d(1),
    slug: "long-history",
  });
  const t0 = performance.now();
  for (let i = 2; i <= 1000; i++)
    await saveVersion(db, { promptId: prompt.id, baseVersion: i - 1, draft: d(i), message: `edit ${i}` });
  console.log(
    `           saved 999 versions through saveVersion in ${((performance.now() - t0) / 1000).toFixed(1)} s (${((performance.now() - t0) / 999).toFixed(1)} ms per save)`,
  );
  const a = await createPrompt(db, {
    meta: { name: "Big prompt", description: "20k tokens", tags: [], folder: "" },
    draft: bigDraft(1),
    slug: "big-prompt",
  });
  await saveVersion(db, { promptId: a.prompt.id, baseVersion: 1, draft: bigDraft(2), message: "big change" });
}

// ---------------------------------------------------------------------------------------------
async function time<T>(fn: () => Promise<T>): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

function stats(samples: number[]) {
  const s = [...samples].sort((a, b) => a - b);
  const at = (p: number) => s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
  return { p50: at(50), p95: at(95), max: s[s.length - 1]! };
}

const fmt = (n: number) => `${n.toFixed(1).padStart(7)} ms`;
function report(kind: string, what: string, samples: number[], goal?: number) {
  const { p50, p95, max } = stats(samples);
  const verdict = goal === undefined ? "" : p95 <= goal ? `  ✓ p95 ≤ ${goal} ms` : `  ✗ p95 > ${goal} ms`;
  console.log(
    `${kind.padEnd(10)} ${what.padEnd(44)} p50 ${fmt(p50)}  p95 ${fmt(p95)}  max ${fmt(max)}  (n=${samples.length})${verdict}`,
  );
}

const LIBRARY_URLS = [
  "/",
  "/?sort=name",
  "/?sort=created",
  "/?tag=tag3",
  "/?tag=tag150",
  "/?folder=support",
  "/?folder=sales/team3",
  "/?label=production",
  "/?label=staging&sort=name",
  "/?favorite=1",
  "/?folder=engineering&tag=tag1&sort=name",
];
const SEARCHES = [
  "customer",
  "refund policy",
  "kalo",
  "mine",
  "ta",
  "support reply",
  "json list",
  "zi",
  "summary tone concise",
  "vosa",
  "pe",
  "customer 4242",
  "lomi kane",
];

async function measure(kind: string, db: Db) {
  // Warm up caches and the query planner.
  for (const u of LIBRARY_URLS) await libraryPage(db, new URL(`http://x${u}`));
  const page: number[] = [];
  for (let i = 0; i < RUNS; i++)
    page.push(await time(() => libraryPage(db, new URL(`http://x${LIBRARY_URLS[i % LIBRARY_URLS.length]}`))));
  report(kind, "library page (filters, sorts, first page)", page, 50);

  const next: number[] = [];
  for (let i = 0; i < RUNS / 4; i++) {
    const first = await libraryPage(db, new URL(`http://x${LIBRARY_URLS[i % LIBRARY_URLS.length]}`));
    if (!first.nextCursor) continue;
    const u = new URL(`http://x${LIBRARY_URLS[i % LIBRARY_URLS.length]}`);
    u.searchParams.set("cursor", first.nextCursor);
    next.push(await time(() => libraryPage(db, u)));
  }
  report(kind, "library page (next page by cursor)", next, 50);

  const search: number[] = [];
  for (const s of SEARCHES) await libraryPage(db, new URL(`http://x/?q=${encodeURIComponent(s)}`));
  for (let i = 0; i < RUNS; i++) {
    const s = SEARCHES[i % SEARCHES.length]!;
    const extra = i % 3 === 1 ? "&sort=updated" : i % 3 === 2 ? "&tag=tag2" : "";
    search.push(await time(() => libraryPage(db, new URL(`http://x/?q=${encodeURIComponent(s)}${extra}`))));
  }
  report(kind, "search (library page with ?q=)", search, 50);

  const history: number[] = [];
  for (let i = 0; i < 40; i++)
    history.push(await time(() => getHistory(db, "long-history", { cursor: i % 2 ? "500" : undefined })));
  report(kind, "history of a prompt with 1,000 versions", history);

  const compare: number[] = [];
  for (let i = 0; i < 10; i++) compare.push(await time(() => comparePrompts(db, "big-prompt", 1, 2, {})));
  report(kind, "compare two 20k-token versions (page)", compare);
}

async function migrate(url: string) {
  const r = spawnSync(process.execPath, [path.join(ROOT, "node_modules/prisma/build/index.js"), "migrate", "deploy"], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: url, PRISMA_HIDE_UPDATE_MESSAGE: "1", CHECKPOINT_DISABLE: "1" },
    encoding: "utf8",
  });
  if (r.status !== 0) throw new Error(`migrate deploy failed: ${r.stderr || r.stdout}`);
}

async function benchSqlite() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pb-bench-"));
  const file = path.join(dir, "bench.db");
  try {
    await migrate(`file:${file}`);
    const sink = sqliteSink(file);
    const ms = await generate(sink);
    sink.close();
    console.log(`sqlite     generated ${N.toLocaleString("en")} prompts in ${(ms / 1000).toFixed(1)} s`);
    const { db } = createDb(`file:${file}`);
    await addHistoryPrompt(db);
    console.log(
      `sqlite     generated ${N.toLocaleString("en")} prompts × ${VERSIONS} versions in ${(ms / 1000).toFixed(1)} s (${(fs.statSync(file).size / 1e6).toFixed(0)} MB)`,
    );
    await measure("sqlite", db);
    await db.$disconnect();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function benchPostgres() {
  const admin = new pg.Client({ connectionString: PG_URL });
  try {
    await admin.connect();
  } catch (error) {
    console.log(`postgres   skipped: cannot connect to ${PG_URL} (${(error as Error).message})`);
    return;
  }
  const name = `pb_bench_${Date.now().toString(36)}`;
  await admin.query(`CREATE DATABASE "${name}"`);
  const url = new URL(PG_URL);
  url.pathname = `/${name}`;
  try {
    await migrate(url.toString());
    const client = new pg.Client({ connectionString: url.toString() });
    await client.connect();
    const ms = await generate(postgresSink(client));
    await client.end();
    const { db } = createDb(url.toString());
    await addHistoryPrompt(db);
    console.log(
      `postgres   generated ${N.toLocaleString("en")} prompts × ${VERSIONS} versions in ${(ms / 1000).toFixed(1)} s`,
    );
    await measure("postgres", db);
    await db.$disconnect();
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
  }
}

// The diff alone (pure), independent of any database.
function benchDiff() {
  const a = bigDraft(1);
  const b = bigDraft(2);
  const chars = a.sections.reduce((n, s) => n + s.template.length, 0);
  const samples: number[] = [];
  for (let i = 0; i < 10; i++) {
    const t = performance.now();
    diffDrafts(a, b);
    samples.push(performance.now() - t);
  }
  console.log(
    `(two versions of ${chars.toLocaleString("en")} characters ≈ ${Math.round(chars / 4).toLocaleString("en")} tokens each)`,
  );
  report("pure", "diff of two 20k-token versions", samples);
}

console.log(
  `Library bench: ${N.toLocaleString("en")} prompts, ${RUNS} runs per figure, ${os.cpus().length} cores, Node ${process.version}`,
);
benchDiff();
if (KINDS.includes("sqlite")) await benchSqlite();
if (KINDS.includes("postgres")) await benchPostgres();
