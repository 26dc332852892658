/**
 * The evaluation worker that runs in every app process (started by app/server/runtime.server.ts,
 * stopped by the graceful shutdown): a few loops that claim jobs from the database with a lease
 * (evals.server.ts), render the case with the version, send it to the provider through the
 * official SDK, check the assertions and write the result. The database is the only queue
 * (decision 115): a process that stops hands its running jobs back; one that dies loses its
 * leases when they expire, and another process claims the jobs again.
 */
import os from "node:os";
import { randomUUID } from "node:crypto";
import type { Db } from "~/server/db.server";
import type { Env } from "~/server/env.server";
import { typedValues } from "~/prompt/form-values";
import { formatIssue } from "~/prompt/issues";
import { rawTestValuesSchema } from "~/prompt/test-values";
import { logger } from "~/server/logger.server";
import { checkAssertions } from "~/server/evals/assertions.server";
import { judgeOnProvider } from "~/server/evals/judge.server";
import { runOnProvider } from "~/server/providers/run.server";
import { renderDraftInPool } from "~/server/render-pool/render-pool.server";
import {
  claimEvalJob,
  completeEvalJob,
  evalJobWork,
  evalWakeups,
  extendLease,
  MAX_ATTEMPTS,
  type JobOutcome,
} from "./evals.server";
import { versionInclude, versionToDraft } from "./prompt-store.server";
import { findProvider } from "./providers.server";
import { partialsOf } from "./snippet-pins.server";

export type EvalWorkerOptions = {
  /** Cases run at once by this process. */
  concurrency: number;
  /** How often an idle loop looks for work (a run started in this process wakes it at once). */
  pollMs: number;
  /** How long a claim holds; renewed every third of it while the case runs. */
  leaseMs: number;
};

export const EVAL_WORKER_DEFAULTS: EvalWorkerOptions = { concurrency: 4, pollMs: 1000, leaseMs: 60_000 };

const failedOutcome = (error: string, output = ""): JobOutcome => ({
  output,
  error,
  results: [],
  inputTokens: null,
  outputTokens: null,
  costUsd: null,
  latencyMs: null,
});

async function runJob(db: Db, env: Env, jobId: string, attempts: number, signal: AbortSignal): Promise<JobOutcome> {
  if (attempts > MAX_ATTEMPTS)
    return failedOutcome(
      `The case was started ${MAX_ATTEMPTS} times and never finished (the process running it stopped).`,
    );
  const job = await evalJobWork(db, jobId);
  if (!job) return failedOutcome("The job is gone.");
  const version = await db.promptVersion.findUnique({ where: { id: job.run.versionId }, include: versionInclude });
  if (!version) return failedOutcome("The version no longer exists.");
  const provider = await findProvider(db, env, job.run.provider);
  if (!provider) return failedOutcome(`The provider "${job.run.provider}" is not configured on this server any more.`);
  const draft = versionToDraft(version);
  const raw = rawTestValuesSchema.safeParse(JSON.parse(job.values));
  const rendered = await renderDraftInPool(
    draft,
    provider.protocol,
    typedValues(draft.variables, raw.success ? raw.data : {}),
    partialsOf(version.snippetPins),
  );
  if (!rendered.ok || typeof rendered.json !== "object" || rendered.json === null)
    return failedOutcome(
      `The prompt does not render with this case's values: ${rendered.issues
        .filter((i) => i.severity === "error")
        .map((i) => formatIssue(i, draft.sections))
        .join("; ")}`,
    );
  let text = "";
  const calls: unknown[] = [];
  let outcome: JobOutcome | null = null;
  for await (const e of runOnProvider({
    provider,
    model: job.run.model,
    body: rendered.json as Record<string, unknown>,
    signal,
    timeoutMs: env.PLAYGROUND_TIMEOUT_MS,
  })) {
    if (e.type === "text") text += e.text;
    else if (e.type === "tool-call") calls.push(e.call);
    else if (e.type === "error") return failedOutcome(e.failure.message, text);
    else if (e.type === "done")
      outcome = {
        output: text || (calls.length ? JSON.stringify(calls) : ""),
        error: null,
        results: [],
        inputTokens: e.usage?.inputTokens ?? null,
        outputTokens: e.usage?.outputTokens ?? null,
        costUsd: e.costUsd,
        latencyMs: e.totalMs,
      };
  }
  if (!outcome) return failedOutcome("The provider's answer ended early.", text);
  let judgeCost = 0;
  const judgeProviders = new Map<string, Awaited<ReturnType<typeof findProvider>>>();
  outcome.results = await checkAssertions(job.assertions, outcome.output, {
    model: job.run.model,
    judge: async (a, output) => {
      if (!judgeProviders.has(a.provider)) judgeProviders.set(a.provider, await findProvider(db, env, a.provider));
      const verdict = await judgeOnProvider(judgeProviders.get(a.provider)!, a, output, {
        timeoutMs: env.PLAYGROUND_TIMEOUT_MS,
        signal,
      });
      judgeCost += verdict.costUsd ?? 0;
      return verdict.result;
    },
  });
  if (judgeCost) outcome.costUsd = (outcome.costUsd ?? 0) + judgeCost;
  return outcome;
}

export function startEvalWorker(db: Db, env: Env, options: EvalWorkerOptions = EVAL_WORKER_DEFAULTS) {
  const owner = `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const stopping = new AbortController();
  let nudges: Array<() => void> = [];
  const wake = () => {
    const n = nudges;
    nudges = [];
    n.forEach((f) => f());
  };
  evalWakeups.listeners.add(wake);
  const idle = () =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(done, options.pollMs);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      nudges.push(done);
      stopping.signal.addEventListener("abort", done, { once: true });
    });

  async function loop() {
    while (!stopping.signal.aborted) {
      let claimed;
      try {
        claimed = await claimEvalJob(db, owner, options.leaseMs);
      } catch (err) {
        if (!stopping.signal.aborted) logger.warn("evaluation worker cannot claim a job", { err: String(err) });
        await idle();
        continue;
      }
      if (!claimed) {
        await idle();
        continue;
      }
      const { id } = claimed;
      const heartbeat = setInterval(
        () => {
          extendLease(db, id, owner, options.leaseMs).catch(() => undefined);
        },
        Math.max(100, Math.floor(options.leaseMs / 3)),
      );
      try {
        const outcome = await runJob(db, env, id, claimed.attempts, stopping.signal);
        if (stopping.signal.aborted) break; // handed back below
        await completeEvalJob(db, id, owner, outcome);
      } catch (err) {
        logger.error("evaluation job failed", { job: id, err: String(err) });
        if (!stopping.signal.aborted)
          await completeEvalJob(db, id, owner, failedOutcome("The case could not be run (server error).")).catch(
            () => undefined,
          );
      } finally {
        clearInterval(heartbeat);
      }
    }
  }

  const loops = Array.from({ length: options.concurrency }, () => loop());
  logger.info("evaluation worker started", { owner, concurrency: options.concurrency });
  return {
    owner,
    /** Stops claiming, aborts the cases in flight and hands them back to the queue. */
    async stop() {
      evalWakeups.listeners.delete(wake);
      stopping.abort();
      await Promise.allSettled(loops);
      await db.evalJob
        .updateMany({
          where: { leaseOwner: owner, status: "running" },
          data: { status: "queued", leaseUntil: 0, attempts: { decrement: 1 } },
        })
        .catch(() => undefined);
    },
  };
}
