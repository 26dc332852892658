/**
 * The pool with real worker threads: the worker is bundled from source into a temporary folder,
 * as scripts/build-workers.mjs does for the build.
 */
import fs from "node:fs";
import path from "node:path";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PromptDraft } from "~/prompt/draft";
import { MAX_TEMPLATE_DEPTH } from "~/prompt/template-limits";
import { defaultThreads, RenderPool } from "./render-pool.server";

const root = path.resolve(import.meta.dirname, "..", "..", "..");
let dir = "";
let workerFile = "";
const pools: RenderPool[] = [];

beforeAll(async () => {
  // npm packages stay external, so the bundle must sit where node_modules resolves.
  const out = path.join(root, "node_modules", ".cache", `render-pool-test-${process.pid}`);
  await build({
    entryPoints: { worker: path.join(root, "app", "server", "render-pool", "worker.ts") },
    outdir: out,
    bundle: true,
    platform: "node",
    format: "esm",
    packages: "external",
    alias: { "~": path.join(root, "app") },
    logLevel: "warning",
  });
  workerFile = path.join(out, "worker.js");
  dir = out;
}, 60_000);

afterAll(async () => {
  await Promise.all(pools.map((p) => p.close()));
  fs.rmSync(dir, { recursive: true, force: true });
});

function pool(timeLimitMs: number) {
  const p = new RenderPool({ filename: workerFile, timeLimitMs, maxThreads: 1 });
  pools.push(p);
  return p;
}

const draft = (template: string): PromptDraft => ({
  sections: [{ kind: "task", title: "T", template, enabled: true, examples: [] }],
  variables: [{ name: "topic", type: "string", required: true, enumValues: [], description: "" }],
  modelSettings: { model: "gpt-4o", stop: [] },
});

/** Largest gap between timer ticks that should come every 10 ms: how long the event loop was held. */
function loopWatch() {
  let last = performance.now();
  let max = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    max = Math.max(max, now - last - 10);
    last = now;
  }, 10);
  return () => (clearInterval(timer), max);
}

// Parsing ~33,000 tags takes Handlebars a second or more; depth 1, so no cap refuses it up front.
const slow = "{{topic}} ".repeat(20_000);

describe("RenderPool", () => {
  it("renders a draft in a worker thread", async () => {
    const p = pool(10_000);
    expect(p.threaded).toBe(true);
    const out = await p.run({
      kind: "draft",
      draft: draft("About {{topic}}."),
      target: "plain",
      values: { topic: "pools" },
      partials: {},
    });
    expect(out).toMatchObject({ ok: true, value: { ok: true, text: "About pools." } });
  });

  it("cancels a task over its time limit by ending its thread, without holding the event loop", async () => {
    const p = pool(300);
    await p.run({ kind: "check", templates: ["warm {{up}}"] });
    const stop = loopWatch();
    const t0 = performance.now();
    const out = await p.run({
      kind: "draft",
      draft: draft(slow),
      target: "plain",
      values: { topic: "x" },
      partials: {},
    });
    const ms = performance.now() - t0;
    const held = stop();
    expect(out).toEqual({ ok: false, reason: "timeout", message: "the template took too long to render (over 0.3 s)" });
    expect(ms).toBeLessThan(1_500);
    expect(held).toBeLessThan(250); // generous: the machine is shared
    // The pool replaces the thread and goes on.
    const next = await p.run({
      kind: "draft",
      draft: draft("Again {{topic}}"),
      target: "plain",
      values: { topic: "y" },
      partials: {},
    });
    expect(next).toMatchObject({ ok: true, value: { text: "Again y" } });
  }, 30_000);

  it("lets the same task finish under a longer limit (the setting is what cancels it)", async () => {
    const p = pool(60_000);
    const out = await p.run({ kind: "check", templates: [slow] });
    expect(out).toEqual({ ok: true, value: { includes: [], problems: [] } });
  }, 70_000);

  it("checks templates before a save: included snippets, and depth problems at their line", async () => {
    const p = pool(10_000);
    const deep = "line 1\n" + "{{#if a}}".repeat(8_000) + "{{/if}}".repeat(8_000);
    await p.run({ kind: "check", templates: ["warm {{up}}"] }); // the thread's start is not the check's time
    const t0 = performance.now();
    const out = await p.run({ kind: "check", templates: ["{{> intro}} {{> outro}}", deep] });
    expect(performance.now() - t0).toBeLessThan(1_000);
    expect(out.ok && out.value.includes).toEqual(["intro", "outro"]);
    expect(out.ok && out.value.problems).toEqual([
      expect.objectContaining({
        code: "limit",
        path: ["sections", 1, "template"],
        line: 2,
        column: 9 * MAX_TEMPLATE_DEPTH + 1,
      }),
    ]);
  });

  it("ends a thread that runs out of its heap and answers with a problem, not a crash", async () => {
    const p = new RenderPool({ filename: workerFile, timeLimitMs: 20_000, maxThreads: 1, heapMb: 16 });
    pools.push(p);
    // Within every cap, but parsing and compiling 20,000 tags needs more than a 16 MB heap.
    const out = await p.run({
      kind: "draft",
      draft: draft(slow),
      target: "plain",
      values: { topic: "x" },
      partials: {},
    });
    expect(out).toEqual({ ok: false, reason: "memory", message: "the template needs too much memory to render" });
  }, 30_000);
});

describe("defaultThreads", () => {
  it("leaves one core to the event loop and renders on the others, at most two threads", () => {
    expect([1, 2, 3, 4, 16].map((cores) => defaultThreads(cores))).toEqual([1, 1, 2, 2, 2]);
  });
});
