/**
 * Keystroke → preview + token count, on a 50-section prompt of ~20k tokens, in Chromium.
 *
 * 1. Domain pipeline in the browser: the builder's own code path (renderDraft with dotprompt,
 *    then tokenBudget with o200k) bundled by esbuild and run in a blank page, one simulated
 *    keystroke at a time (a character appended to one section's template).
 * 2. The real builder page (production build, needs `npm run build` and
 *    `node scripts/build-workers.mjs`): typing into a section's editor; per keystroke, keydown →
 *    preview text updated in the DOM, and the builder's own `pb-preview` measure (change →
 *    preview and budget committed). Rendered in the render worker (whose CSP allows eval), then
 *    with the worker blocked, i.e. the server fallback through /resources/render.
 *
 *   npx tsx tests/bench/builder-preview.ts
 */
import { build } from "esbuild";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const KEYSTROKES = 200;
const PAGE_KEYSTROKES = 120;

const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))]!;
  return { median: q(0.5), p95: q(0.95), max: s[s.length - 1]! };
};
const fmt = (x: { median: number; p95: number; max: number }) =>
  `median ${x.median.toFixed(2)} ms · p95 ${x.p95.toFixed(2)} ms · max ${x.max.toFixed(2)} ms`;

const entry = `
import { renderDraft } from "./app/prompt/render";
import { loadEncoder, TokenCounter, tokenBudget } from "./app/prompt/tokens";
export async function setup() {
  const words = "Consider the customer's account history, the plan limits and the refund policy before answering. ";
  const sections = Array.from({ length: 50 }, (_, i) => ({
    id: "s" + i, kind: i === 0 ? "system" : i % 7 === 3 ? "examples" : i % 2 ? "context" : "task",
    title: "Section " + i, enabled: true,
    template: "Part " + i + " for {{customer}} ({{plan}}):\\n" + words.repeat(23) + "{{#if vip}}VIP handling applies.{{/if}}\\n{{#each items}}- {{this}}\\n{{/each}}",
    examples: i % 7 === 3 ? [{ input: "Example in " + i, output: "Example out " + i }] : [],
  }));
  const draft = { sections, variables: [
    { name: "customer", type: "string", required: true, enumValues: [], description: "" },
    { name: "plan", type: "enum", required: true, enumValues: ["free", "pro"], description: "" },
    { name: "vip", type: "boolean", required: false, enumValues: [], description: "" },
    { name: "items", type: "list", required: false, enumValues: [], description: "" },
  ], modelSettings: { model: "gpt-4.1", stop: [] } };
  const values = { customer: "Zoë 🚀", plan: "pro", vip: true, items: ["a", "b"] };
  const counter = new TokenCounter(await loadEncoder("o200k_base"));
  const first = await renderDraft(draft, { values });
  const budget = tokenBudget(first.sections, draft.modelSettings, counter);
  globalThis.__bench = { draft, values, counter, tokens: budget.inputTokens, ok: first.ok };
  return { tokens: budget.inputTokens, ok: first.ok };
}
export async function keystroke(i) {
  const b = globalThis.__bench;
  const idx = 1 + (i % 3) * 10;
  const sections = b.draft.sections.slice();
  sections[idx] = { ...sections[idx], template: sections[idx].template + "x" };
  b.draft = { ...b.draft, sections };
  const t0 = performance.now();
  const r = await renderDraft(b.draft, { values: b.values });
  const budget = tokenBudget(r.sections, b.draft.modelSettings, b.counter);
  const ms = performance.now() - t0;
  if (!r.ok || budget.inputTokens < 1000) throw new Error("bad render");
  return ms;
}
`;

async function domainBench() {
  const out = await build({
    stdin: { contents: entry, resolveDir: ROOT, loader: "ts" },
    bundle: true,
    format: "iife",
    globalName: "PB",
    platform: "browser",
    write: false,
    minify: true,
    alias: { "~": path.join(ROOT, "app") },
    logLevel: "silent",
  });
  const code = out.outputFiles[0]!.text;
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
  });
  try {
    const page = await browser.newPage();
    await page.setContent("<!doctype html><title>bench</title>");
    await page.addScriptTag({ content: code });
    const info = await page.evaluate(() =>
      (globalThis as unknown as { PB: { setup(): Promise<{ tokens: number; ok: boolean }> } }).PB.setup(),
    );
    const times = await page.evaluate(async (n) => {
      const pb = (globalThis as unknown as { PB: { keystroke(i: number): Promise<number> } }).PB;
      for (let i = 0; i < 20; i++) await pb.keystroke(i); // warm-up
      const t: number[] = [];
      for (let i = 0; i < n; i++) t.push(await pb.keystroke(i));
      return t;
    }, KEYSTROKES);
    console.log(`Prompt: 50 sections, ${info.tokens.toLocaleString("en")} tokens (o200k), renders ok: ${info.ok}`);
    console.log(`Domain in Chromium, per keystroke (render all sections + count tokens, ${KEYSTROKES} keystrokes):`);
    console.log(`  ${fmt(stats(times))}   target: median < 16 ms`);
  } finally {
    await browser.close();
  }
}

type PageMode = "worker" | "server-fallback";

/**
 * Types into section 25 of the real page and reads two figures per keystroke: the builder's own
 * `pb-preview` measure (change → preview and budget committed) and, independently of the page's
 * code, keydown → preview text changed in the DOM (a MutationObserver on the preview panel).
 * "server-fallback" blocks the worker script, as for a browser that cannot start it.
 */
async function pageBench(mode: PageMode) {
  if (!fs.existsSync(path.join(ROOT, "build", "index.js")) || !fs.existsSync(path.join(ROOT, "public", "build"))) {
    console.log("\nPage bench skipped: run `npm run build` first.");
    return;
  }
  const { startServer } = await import("../support/server");
  const server = await startServer();
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
    let renderRequests = 0;
    page.on("request", (r) => {
      if (new URL(r.url()).pathname === "/resources/render") renderRequests++;
    });
    if (mode === "server-fallback") await page.route("**/build/workers/**", (route) => route.abort());
    const words = "Consider the customer's account history, the plan limits and the refund policy before answering. ";
    const sections = Array.from({ length: 50 }, (_, i) => ({
      kind: i === 0 ? "system" : i % 2 ? "context" : "task",
      title: `Section ${i}`,
      enabled: true,
      template: `Part ${i} for {{customer}}:\n${words.repeat(24)}`,
      examples: [],
    }));
    const stored = {
      draft: {
        sections,
        variables: [
          { name: "customer", type: "string", required: true, enumValues: [], description: "", default: "Zoë" },
        ],
        modelSettings: { model: "gpt-4.1", stop: [] },
      },
      meta: { name: "Bench", description: "", tags: [], folder: "" },
      baseVersion: 0,
      savedAt: Date.now(),
    };
    await page.goto(`${server.baseUrl}/prompts/new`);
    await page.evaluate((s) => localStorage.setItem("pb:draft:new:blank", JSON.stringify(s)), stored);
    await page.goto(`${server.baseUrl}/prompts/new?starter=blank`);
    await page.waitForFunction(
      () => document.querySelectorAll('.template-editor[data-editor="codemirror"]').length >= 50,
      null,
      { timeout: 60_000 },
    );
    await page.waitForSelector('[data-testid="input-tokens"]');
    await page.waitForSelector('[data-testid="preview-text"]');
    const tokens = await page.locator('[data-testid="input-tokens"]').textContent();
    const on = await page.locator(".builder").getAttribute("data-renderer");
    const where =
      on === "worker"
        ? "in the render worker"
        : on === "server"
          ? "on the server via /resources/render"
          : on === "browser"
            ? "in the page (its CSP allows eval)"
            : `by "${on}"`;
    const ed = page.getByRole("textbox", { name: "Template for Section 25", exact: true });
    await ed.click();
    await page.keyboard.press("End");
    await page.evaluate(() => {
      const w = window as unknown as { __pbLatency: number[] };
      w.__pbLatency = [];
      let downAt: number | null = null;
      document.addEventListener("keydown", (e) => void (downAt ??= e.timeStamp), true);
      new MutationObserver(() => {
        if (downAt === null) return;
        w.__pbLatency.push(performance.now() - downAt);
        downAt = null;
      }).observe(document.querySelector(".preview-panel")!, { childList: true, characterData: true, subtree: true });
      performance.clearMeasures("pb-preview");
    });
    const before = renderRequests;
    for (let i = 0; i < PAGE_KEYSTROKES; i++) {
      await page.keyboard.type("x");
      await page.waitForTimeout(40);
    }
    await page.waitForTimeout(300);
    const measures = await page.evaluate(() => performance.getEntriesByName("pb-preview").map((e) => e.duration));
    const latency = await page.evaluate(() => (window as unknown as { __pbLatency: number[] }).__pbLatency);
    console.log(
      `\nReal builder page (production build, ${mode}), 50 sections, ${tokens} input tokens, templates rendered ${where}:`,
    );
    console.log(
      `  keydown → preview text updated (${latency.length} keystrokes): ${latency.length ? fmt(stats(latency)) : "no updates"}`,
    );
    console.log(
      `  change → preview and budget committed, pb-preview (${measures.length} updates): ${measures.length ? fmt(stats(measures)) : "no measures"}`,
    );
    console.log(`  requests to /resources/render while typing: ${renderRequests - before}`);
  } finally {
    await browser.close();
    await server.stop();
  }
}

await domainBench();
await pageBench("worker");
await pageBench("server-fallback");
