/**
 * A worker-thread pool (piscina) for the server's work on user templates: Handlebars parses and
 * compiles synchronously, and a hostile template held the event loop (and /healthz, and SIGTERM)
 * for a minute. Every task has a time limit; a task over it is cancelled by terminating its
 * thread, and the caller gets a "took too long" issue. Each thread's heap is capped, so a render
 * that would need gigabytes ends that thread, not the server. docs/decisions/070-bounded-template-work.md
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { MessageChannel } from "node:worker_threads";
import { Piscina } from "piscina";
import type { PromptDraft } from "~/prompt/draft";
import type { PromptIssue } from "~/prompt/issues";
import type { TemplateJob, TemplateOutcome } from "~/prompt/render";
import type { Target } from "~/prompt/targets";
import { logger } from "~/server/logger.server";
import { runRenderTask, type RenderTask, type RenderedDraft, type TaskResult, type TemplateCheck } from "./tasks";

/** Longest a template task may take (parse, compile and render), from submission. */
export const TEMPLATE_TIME_LIMIT_MS = 2_000;
/** Longest a task may wait for a thread (queue and start-up) before the request fails. */
const QUEUE_WAIT_LIMIT_MS = 30_000;
/** Heap of one worker thread: far above a render within the caps, far below the pod's memory. */
export const WORKER_HEAP_MB = 128;

/**
 * Threads by default: one core stays with the event loop (HTTP, the database, JSON), the others
 * render, at most two. Each thread is an isolate of its own with dotprompt loaded (about 17 MB of
 * RSS); on two cores a second thread added that much memory and no throughput (docs/decisions/131).
 */
export function defaultThreads(cores = os.availableParallelism()): number {
  return Math.max(1, Math.min(2, cores - 1));
}

export type RenderPoolOptions = {
  /** The bundled worker (build/render-pool/worker.js); found next to the server build by default. */
  filename?: string | null;
  timeLimitMs?: number;
  maxThreads?: number;
  heapMb?: number;
};

export type PoolOutcome<T> = { ok: true; value: T } | { ok: false; reason: "timeout" | "memory"; message: string };

export class RenderPool {
  private readonly pool: Piscina | null;
  readonly timeLimitMs: number;

  constructor(options: RenderPoolOptions = {}) {
    this.timeLimitMs = options.timeLimitMs ?? TEMPLATE_TIME_LIMIT_MS;
    const filename = options.filename === undefined ? findWorkerFile() : options.filename;
    this.pool = filename
      ? new Piscina({
          filename,
          minThreads: 1,
          maxThreads: options.maxThreads ?? defaultThreads(),
          // Threads keep their compiled-template caches; an idle one goes after a minute.
          idleTimeout: 60_000,
          resourceLimits: { maxOldGenerationSizeMb: options.heapMb ?? WORKER_HEAP_MB },
        })
      : null;
  }

  /** False when no worker file was found and tasks run in this thread (dev and unit tests only). */
  get threaded(): boolean {
    return this.pool !== null;
  }

  async run<T extends RenderTask>(task: T): Promise<PoolOutcome<TaskResult<T>>> {
    if (!this.pool) return { ok: true, value: (await runRenderTask(task)) as TaskResult<T> };
    // The limit counts from the moment the task starts in its thread: a cold thread's start-up
    // (seconds on a loaded machine) or a wait in the queue is not the template's fault.
    const controller = new AbortController();
    const { port1, port2 } = new MessageChannel();
    let timedOut = false;
    const abortAfter = (ms: number) =>
      setTimeout(() => {
        timedOut = ms === this.timeLimitMs;
        controller.abort();
      }, ms);
    let timer = abortAfter(QUEUE_WAIT_LIMIT_MS);
    port1.once("message", () => {
      clearTimeout(timer);
      timer = abortAfter(this.timeLimitMs);
    });
    try {
      const value = await this.pool.run({ task, started: port2 }, { signal: controller.signal, transferList: [port2] });
      return { ok: true, value: value as TaskResult<T> };
    } catch (err) {
      if (timedOut) {
        logger.warn("template task over its time limit: worker terminated", {
          kind: task.kind,
          limitMs: this.timeLimitMs,
        });
        return {
          ok: false,
          reason: "timeout",
          message: `the template took too long to render (over ${this.timeLimitMs / 1000} s)`,
        };
      }
      if ((err as { code?: string })?.code === "ERR_WORKER_OUT_OF_MEMORY") {
        logger.warn("template task over the worker heap limit: worker terminated", { kind: task.kind });
        return { ok: false, reason: "memory", message: "the template needs too much memory to render" };
      }
      if (controller.signal.aborted)
        throw new Error(`the render pool did not start a task within ${QUEUE_WAIT_LIMIT_MS / 1000} s`, { cause: err });
      throw err;
    } finally {
      clearTimeout(timer);
      port1.close();
    }
  }

  /** Threads that exist now (for tests: a cancelled task's thread is replaced). */
  get threadCount(): number {
    return this.pool?.threads.length ?? 0;
  }

  async close(): Promise<void> {
    await this.pool?.close({ force: true });
  }
}

/** build/render-pool/worker.js, next to the server build (build/index.js) or the CLI (build/cli/*.js). */
function findWorkerFile(): string | null {
  const candidates: string[] = [];
  for (const rel of ["./render-pool/worker.js", "../render-pool/worker.js"]) {
    try {
      candidates.push(fileURLToPath(new URL(rel, import.meta.url)));
    } catch {
      /* not a file: URL */
    }
  }
  candidates.push(path.resolve("build", "render-pool", "worker.js"));
  const found = candidates.find((f) => fs.existsSync(f));
  if (found) return found;
  // Production must never parse user templates on the event loop: fail loudly there.
  if (process.env.NODE_ENV === "production")
    throw new Error(`render pool worker not found (looked in ${candidates.join(", ")}); run scripts/build-workers.mjs`);
  logger.warn("render pool worker not built: user templates are rendered on the event loop (run npm run build)");
  return null;
}

let shared: RenderPool | undefined;

/** The process's pool, created on first use. */
export function renderPool(): RenderPool {
  return (shared ??= new RenderPool());
}

/** Stops the pool's threads (on shutdown). */
export async function closeRenderPool(): Promise<void> {
  const pool = shared;
  shared = undefined;
  await pool?.close();
}

const limitIssue = (message: string, path: PromptIssue["path"] = ["sections"]): PromptIssue => ({
  severity: "error",
  code: "limit",
  message,
  path,
});

/** Renders a stored draft to a target in the pool: the API's render. */
export async function renderDraftInPool(
  draft: PromptDraft,
  target: Target,
  values: Record<string, unknown>,
  partials: Record<string, string>,
): Promise<RenderedDraft> {
  const out = await renderPool().run({ kind: "draft", draft, target, values, partials });
  if (out.ok) return out.value;
  return { ok: false, text: "", warnings: [], issues: [limitIssue(out.message)], input: {} };
}

/** The builder's server fallback, in the pool: same contract as `localRenderer`. */
export async function renderTemplatesInPool(
  jobs: TemplateJob[],
  partials: Record<string, string>,
): Promise<TemplateOutcome[]> {
  const out = await renderPool().run({ kind: "templates", jobs, partials });
  if (out.ok) return out.value;
  return jobs.map((_, i) => ({
    error: i === 0 ? { message: out.message, limit: true as const } : { message: out.message, skipped: true as const },
  }));
}

/**
 * Parses a draft's templates in the pool before a save: the snippet names they include, and the
 * problems that refuse the save (a template nested too deep, or too slow to parse).
 */
export async function checkTemplatesInPool(draft: Pick<PromptDraft, "sections">): Promise<TemplateCheck> {
  const out = await renderPool().run({ kind: "check", templates: draft.sections.map((s) => s.template) });
  if (out.ok) return out.value;
  return { includes: [], problems: [limitIssue(out.message.replace("to render", "to read"))] };
}
