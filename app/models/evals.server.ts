/**
 * Evaluation runs (issue 14): a suite (the prompt's test cases with their assertions and the
 * suite's) against a version on a provider and model. Starting a run writes one EvalJob per case;
 * any app process claims jobs with a lease in one statement, runs them and writes the result only
 * while it still holds the lease, so with several replicas each case runs exactly once, and a job
 * whose process died is claimed again when its lease expires (decision 115). Gates read the runs.
 */
import type { Db } from "~/server/db.server";
import { recordAudit, type Actor } from "./audit.server";
import { dbKind } from "~/server/db.server";
import type { Env } from "~/server/env.server";
import { readAssertions, type AssertionResult } from "~/prompt/assertions";
import { InvalidError, NotFoundError } from "~/prompt/errors";
import { providerModels } from "~/server/providers/providers.server";
import { findProvider } from "./providers.server";
import { listCases, seedFirstSuite } from "./test-cases.server";
import { processGlobal } from "~/server/process-global.server";

export const MAX_ATTEMPTS = 3;

/** Workers in this process listen here to start on a new run at once instead of at the next poll. */
export const evalWakeups = processGlobal("eval-wakeups", () => ({ listeners: new Set<() => void>() }));
const wake = () => evalWakeups.listeners.forEach((l) => l());

export async function startEvalRun(
  db: Db,
  env: Env,
  args: {
    promptId: string;
    suiteName: string;
    version: number;
    provider: string;
    model: string;
    actor: Actor | null;
  },
) {
  const version = await db.promptVersion.findUnique({
    where: { promptId_number: { promptId: args.promptId, number: args.version } },
    select: { id: true, number: true },
  });
  if (!version) throw NotFoundError.version(args.version, "version");
  const provider = await findProvider(db, env, args.provider);
  if (!provider) throw InvalidError.field("target", "No such provider is configured on this server.");
  const model = args.model.trim();
  if (!model || model.length > 200) throw InvalidError.field("target", "Choose a model.");
  if (provider.allowedModels && !(await providerModels(provider)).includes(model))
    throw InvalidError.field("target", `${provider.name} is not allowed to run "${model}" here.`);
  // One transaction: the default suite and first case made real (if shown only so far), the run
  // and its jobs — or, refused, nothing.
  const run = await db.$transaction(async (tx) => {
    await seedFirstSuite(tx, args.promptId);
    const suite = await tx.evalSuite.findUnique({
      where: { promptId_name: { promptId: args.promptId, name: args.suiteName } },
    });
    if (!suite) throw InvalidError.field("suite", `This prompt has no suite "${args.suiteName}".`);
    const cases = await listCases(tx as Db, args.promptId);
    if (!cases.length) throw InvalidError.field("suite", "This prompt has no test cases yet: add one first.");
    const suiteAssertions = readAssertions(suite.assertions);
    const run = await tx.evalRun.create({
      data: {
        promptId: args.promptId,
        suiteId: suite.id,
        suiteName: suite.name,
        versionId: version.id,
        versionNumber: version.number,
        provider: provider.id,
        model,
        total: cases.length,
        createdById: args.actor?.id ?? null,
      },
    });
    await tx.evalJob.createMany({
      data: cases.map((c, position) => ({
        runId: run.id,
        position,
        caseName: c.name,
        values: JSON.stringify(c.values),
        assertions: JSON.stringify([...c.assertions, ...suiteAssertions]),
      })),
    });
    await recordAudit(tx, args.actor, {
      action: "evalRun.start",
      target: { type: "evalRun", id: run.id, name: suite.name },
      details: { version: version.number, provider: provider.name, model, cases: cases.length },
    });
    return run;
  });
  wake();
  return run;
}

export type ClaimedJob = { id: string; runId: string; attempts: number };

/**
 * Claims the next job that is queued or whose lease expired, in one statement: PostgreSQL locks the
 * row it picks and skips rows other replicas are claiming; SQLite runs one write at a time.
 */
export async function claimEvalJob(db: Db, owner: string, leaseMs: number): Promise<ClaimedJob | null> {
  const now = Date.now();
  const until = now + leaseMs;
  // Idle workers poll: a read first, so an empty queue never takes SQLite's write lock.
  const open = await db.evalJob.findFirst({
    where: { OR: [{ status: "queued" }, { status: "running", leaseUntil: { lt: now } }] },
    select: { id: true },
  });
  if (!open) return null;
  const rows =
    dbKind(db) === "postgres"
      ? await db.$queryRaw<ClaimedJob[]>`
          UPDATE "EvalJob" SET "status" = 'running', "leaseOwner" = ${owner}, "leaseUntil" = ${until},
                 "attempts" = "attempts" + 1
          WHERE "id" = (
            SELECT "id" FROM "EvalJob"
            WHERE "status" = 'queued' OR ("status" = 'running' AND "leaseUntil" < ${now})
            ORDER BY "runId", "position" LIMIT 1 FOR UPDATE SKIP LOCKED)
          RETURNING "id", "runId", "attempts"`
      : await db.$queryRaw<ClaimedJob[]>`
          UPDATE "EvalJob" SET "status" = 'running', "leaseOwner" = ${owner}, "leaseUntil" = ${until},
                 "attempts" = "attempts" + 1
          WHERE "id" = (
            SELECT "id" FROM "EvalJob"
            WHERE "status" = 'queued' OR ("status" = 'running' AND "leaseUntil" < ${now})
            ORDER BY "runId", "position" LIMIT 1)
          RETURNING "id", "runId", "attempts"`;
  const job = rows[0];
  if (!job) return null;
  await db.evalRun.updateMany({ where: { id: job.runId, status: "queued" }, data: { status: "running" } });
  return { id: job.id, runId: job.runId, attempts: Number(job.attempts) };
}

/** Keeps a claimed job's lease; false when another process holds it now. */
export async function extendLease(db: Db, jobId: string, owner: string, leaseMs: number) {
  const { count } = await db.evalJob.updateMany({
    where: { id: jobId, leaseOwner: owner, status: "running" },
    data: { leaseUntil: Date.now() + leaseMs },
  });
  return count === 1;
}

/** What a worker needs to run a job. */
export async function evalJobWork(db: Db, jobId: string) {
  const job = await db.evalJob.findUnique({
    where: { id: jobId },
    include: { run: { select: { versionId: true, provider: true, model: true, status: true } } },
  });
  if (!job) return null;
  return {
    ...job,
    assertions: readAssertions(job.assertions),
  };
}

export type JobOutcome = {
  output: string;
  error: string | null;
  results: AssertionResult[];
  inputTokens: number | null;
  outputTokens: number | null;
  costUsd: number | null;
  latencyMs: number | null;
};

/** Writes a job's result if `owner` still holds its lease, then closes the run when it was the last. */
export async function completeEvalJob(db: Db, jobId: string, owner: string, outcome: JobOutcome) {
  const passed = outcome.error === null && outcome.results.every((r) => r.passed);
  const { count } = await db.evalJob.updateMany({
    where: { id: jobId, leaseOwner: owner, status: "running" },
    data: {
      status: "done",
      passed,
      output: outcome.output.slice(0, 100_000),
      error: outcome.error,
      results: JSON.stringify(outcome.results),
      inputTokens: outcome.inputTokens,
      outputTokens: outcome.outputTokens,
      costUsd: outcome.costUsd,
      latencyMs: outcome.latencyMs,
      finishedAt: new Date(),
    },
  });
  if (count !== 1) return false;
  const job = await db.evalJob.findUnique({ where: { id: jobId }, select: { runId: true } });
  if (job) await finishRunIfDone(db, job.runId);
  return true;
}

async function finishRunIfDone(db: Db, runId: string) {
  const open = await db.evalJob.count({ where: { runId, status: { in: ["queued", "running"] } } });
  if (open) return;
  const failed = await db.evalJob.count({ where: { runId, status: "done", passed: false } });
  await db.evalRun.updateMany({
    where: { id: runId, status: { in: ["queued", "running"] } },
    data: { status: failed ? "failed" : "passed", finishedAt: new Date() },
  });
}

/** Stops a run: its queued cases are not run; the ones running finish. */
export async function cancelEvalRun(db: Db, promptId: string, runId: string, actor: Actor | null = null) {
  await db.$transaction(async (tx) => {
    const run = await tx.evalRun.findFirst({
      where: { id: runId, promptId },
      select: { status: true, suiteName: true },
    });
    if (!run) throw new NotFoundError("prompt", runId, "This evaluation run does not exist.", "runId");
    await tx.evalJob.updateMany({ where: { runId, status: "queued" }, data: { status: "cancelled" } });
    await tx.evalRun.updateMany({
      where: { id: runId, status: { in: ["queued", "running"] } },
      data: { status: "cancelled", finishedAt: new Date() },
    });
    await recordAudit(tx, actor, {
      action: "evalRun.cancel",
      target: { type: "evalRun", id: runId, name: run.suiteName },
    });
  });
}

// ---------------------------------------------------------------------------------------------
// Reading runs

/** costUsd stays null while no case has a known price (a model outside the app's table). */
type Counts = { done: number; passed: number; failed: number; costUsd: number | null; latencyMs: number };

async function countsOf(db: Db, runIds: string[]): Promise<Map<string, Counts>> {
  const rows = await db.evalJob.groupBy({
    by: ["runId", "status", "passed"],
    where: { runId: { in: runIds } },
    _count: { _all: true },
    _sum: { costUsd: true, latencyMs: true },
  });
  const out = new Map<string, Counts>();
  for (const id of runIds) out.set(id, { done: 0, passed: 0, failed: 0, costUsd: null, latencyMs: 0 });
  for (const r of rows) {
    const c = out.get(r.runId)!;
    if (r.status === "done") {
      c.done += r._count._all;
      if (r.passed) c.passed += r._count._all;
      else c.failed += r._count._all;
    }
    if (r._sum.costUsd !== null) c.costUsd = (c.costUsd ?? 0) + r._sum.costUsd;
    c.latencyMs += r._sum.latencyMs ?? 0;
  }
  return out;
}

const runView = (
  run: {
    id: string;
    suiteName: string;
    versionNumber: number;
    provider: string;
    model: string;
    status: string;
    total: number;
    createdAt: Date;
    finishedAt: Date | null;
  },
  c: Counts,
) => ({
  id: run.id,
  suiteName: run.suiteName,
  versionNumber: run.versionNumber,
  provider: run.provider,
  model: run.model,
  status: run.status,
  total: run.total,
  done: c.done,
  passed: c.passed,
  failed: c.failed,
  costUsd: c.costUsd,
  averageLatencyMs: c.done ? Math.round(c.latencyMs / c.done) : null,
  createdAt: run.createdAt.toISOString(),
  finishedAt: run.finishedAt?.toISOString() ?? null,
});
export type EvalRunView = ReturnType<typeof runView>;

export async function listEvalRuns(db: Db, promptId: string, limit = 20) {
  const runs = await db.evalRun.findMany({ where: { promptId }, orderBy: { createdAt: "desc" }, take: limit });
  const counts = await countsOf(
    db,
    runs.map((r) => r.id),
  );
  return runs.map((r) => runView(r, counts.get(r.id)!));
}

export async function evalRunDetail(db: Db, promptId: string, runId: string) {
  const run = await db.evalRun.findFirst({ where: { id: runId, promptId } });
  if (!run) throw new NotFoundError("prompt", runId, "This evaluation run does not exist.", "runId");
  const [jobs, counts] = await Promise.all([
    db.evalJob.findMany({ where: { runId }, orderBy: { position: "asc" } }),
    countsOf(db, [runId]),
  ]);
  return {
    run: runView(run, counts.get(runId)!),
    cases: jobs.map((j) => ({
      id: j.id,
      name: j.caseName,
      status: j.status,
      passed: j.passed,
      output: j.output,
      error: j.error,
      results: readResults(j.results),
      inputTokens: j.inputTokens,
      outputTokens: j.outputTokens,
      costUsd: j.costUsd,
      latencyMs: j.latencyMs,
    })),
  };
}

function readResults(json: string): AssertionResult[] {
  try {
    const v = JSON.parse(json) as unknown;
    return Array.isArray(v) ? (v as AssertionResult[]) : [];
  } catch {
    return [];
  }
}

export type CaseChange = { name: string; before: boolean | null; after: boolean | null };

/** Which cases changed between two runs of a prompt (by case name). */
export async function compareEvalRuns(db: Db, promptId: string, beforeId: string, afterId: string) {
  const [before, after] = await Promise.all([
    evalRunDetail(db, promptId, beforeId),
    evalRunDetail(db, promptId, afterId),
  ]);
  const was = new Map(before.cases.map((c) => [c.name, c.passed]));
  const now = new Map(after.cases.map((c) => [c.name, c.passed]));
  const names = [...new Set([...was.keys(), ...now.keys()])];
  const rows: CaseChange[] = names.map((name) => ({
    name,
    before: was.get(name) ?? null,
    after: now.get(name) ?? null,
  }));
  return {
    before: before.run,
    after: after.run,
    broke: rows.filter((r) => r.before === true && r.after === false).map((r) => r.name),
    fixed: rows.filter((r) => r.before === false && r.after === true).map((r) => r.name),
    rows,
  };
}

// ---------------------------------------------------------------------------------------------
// Gates

/**
 * For a label with a gate: the id of the newest run of the gate's suite that passed on this
 * version. Throws, naming the suite and the last result, when there is none. Null: no gate.
 */
export async function gatePassingRun(
  db: Db,
  args: { promptId: string; label: string; versionId: string; number: number; field: string },
): Promise<string | null> {
  const gate = await db.labelGate.findFirst({
    where: { label: { promptId: args.promptId, name: args.label } },
    select: { suite: { select: { id: true, name: true } } },
  });
  if (!gate) return null;
  const passed = await db.evalRun.findFirst({
    where: { suiteId: gate.suite.id, versionId: args.versionId, status: "passed" },
    orderBy: { createdAt: "desc" },
    select: { id: true },
  });
  if (passed) return passed.id;
  const last = await db.evalRun.findFirst({
    where: { suiteId: gate.suite.id, versionId: args.versionId },
    orderBy: { createdAt: "desc" },
  });
  let lastResult = `it has not been run on version ${args.number}`;
  if (last) {
    const c = (await countsOf(db, [last.id])).get(last.id)!;
    lastResult =
      last.status === "failed"
        ? `its last run on version ${args.number} (${last.model}) failed ${c.failed} of ${last.total} cases`
        : last.status === "cancelled"
          ? `its last run on version ${args.number} was cancelled`
          : `its run on version ${args.number} is still going (${c.done} of ${last.total} cases done)`;
  }
  const message = `"${args.label}" may move only to a version that passed the suite "${gate.suite.name}": ${lastResult}.`;
  throw new InvalidError(message, [{ path: [args.field], message }]);
}
