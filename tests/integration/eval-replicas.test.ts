/**
 * Evaluation jobs are claimed from the database with a lease (decision 115): with two app
 * processes on one PostgreSQL database every case of a run is sent to the provider exactly once,
 * both processes take part, and a job whose lease expired is claimed again. The claim itself is
 * checked on both databases with many claimers racing.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "~/server/db.server";
import { createPrompt } from "~/models/prompt-store.server";
import { claimEvalJob, completeEvalJob, evalRunDetail, extendLease } from "~/models/evals.server";
import { addCase, ensureFirstSuite, saveCase } from "~/models/test-cases.server";
import { promptDraftSchema } from "~/prompt/draft";
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from "../support/databases";
import { startFakeProvider, type FakeProvider } from "../support/fake-providers";
import { POSTGRES_SKIP_REASON, POSTGRES_URL } from "../support/postgres";
import { startServer, waitFor, type RunningServer } from "../support/server";

const draft = promptDraftSchema.parse({
  sections: [{ kind: "task", title: "Task", template: "Say {{topic}}." }],
  variables: [{ name: "topic", type: "string", required: true }],
  modelSettings: { model: "gpt-4o", stop: [] },
});

async function promptWithCases(db: Db, name: string, count: number) {
  const { prompt } = await createPrompt(db, { meta: { name, description: "", folder: "", tags: [] }, draft });
  await ensureFirstSuite(db, prompt.id);
  for (let i = 0; i < count; i++) {
    const c = await addCase(db, prompt.id, `case ${i}`);
    await saveCase(db, prompt.id, c.id, { name: `case ${i}`, values: { topic: `marker-${name}-${i}` } });
  }
  return prompt;
}

/** A run written as startEvalRun writes it, without waking any worker (none runs in this process). */
async function queuedRun(db: Db, promptId: string, jobs: number) {
  const version = await db.promptVersion.findFirstOrThrow({ where: { promptId } });
  const run = await db.evalRun.create({
    data: {
      promptId,
      suiteName: "default",
      versionId: version.id,
      versionNumber: 1,
      provider: "openai",
      model: "m",
      total: jobs,
    },
  });
  await db.evalJob.createMany({
    data: Array.from({ length: jobs }, (_, position) => ({ runId: run.id, position, caseName: `c${position}` })),
  });
  return run.id;
}

for (const { kind, skip, label } of DATABASE_KINDS) {
  describe.skipIf(skip)(`job leases on ${label}`, () => {
    let a: TestDatabase;
    let b: Db;
    beforeAll(async () => {
      a = await createTestDatabase(kind);
      b = createDb(a.url).db; // a second client: a second pool of connections, as another replica has
    });
    afterAll(async () => {
      await b?.$disconnect();
      await a?.cleanup();
    });

    it("twenty racing claimers from two clients take each of ten jobs exactly once", async () => {
      const { prompt } = await createPrompt(a.db, {
        meta: { name: "Race", description: "", folder: "", tags: [] },
        draft,
      });
      const runId = await queuedRun(a.db, prompt.id, 10);
      const claims = await Promise.all(
        Array.from({ length: 20 }, (_, i) => claimEvalJob(i % 2 ? a.db : b, `owner-${i}`, 60_000)),
      );
      const got = claims.filter((c) => c !== null).map((c) => c.id);
      expect(got).toHaveLength(10);
      expect(new Set(got).size).toBe(10);
      expect(await a.db.evalJob.count({ where: { runId, status: "running" } })).toBe(10);
      expect((await a.db.evalRun.findUniqueOrThrow({ where: { id: runId } })).status).toBe("running");
    });

    it("an expired lease is claimed again; the first owner can no longer extend it or write a result", async () => {
      const { prompt } = await createPrompt(a.db, {
        meta: { name: "Lease", description: "", folder: "", tags: [] },
        draft,
      });
      const runId = await queuedRun(a.db, prompt.id, 1);
      const first = (await claimEvalJob(a.db, "dead", 1000))!;
      expect(first).toMatchObject({ runId, attempts: 1 });
      expect(await claimEvalJob(b, "other", 60_000)).toBeNull(); // held
      await new Promise((r) => setTimeout(r, 1100));
      const second = (await claimEvalJob(b, "alive", 60_000))!;
      expect(second).toMatchObject({ id: first.id, attempts: 2 });
      expect(await extendLease(a.db, first.id, "dead", 60_000)).toBe(false);
      const outcome = {
        output: "x",
        error: null,
        results: [],
        inputTokens: null,
        outputTokens: null,
        costUsd: null,
        latencyMs: 1,
      };
      expect(await completeEvalJob(a.db, first.id, "dead", outcome)).toBe(false);
      expect(await completeEvalJob(b, first.id, "alive", outcome)).toBe(true);
      expect((await evalRunDetail(a.db, prompt.id, runId)).run).toMatchObject({ status: "passed", done: 1 });
    });
  });
}

describe.skipIf(!POSTGRES_URL)(
  `two app processes on one PostgreSQL${POSTGRES_URL ? "" : ` (skipped: ${POSTGRES_SKIP_REASON})`}`,
  () => {
    let openai: FakeProvider;
    let one: RunningServer;
    let two: RunningServer;
    let db: Db;
    beforeAll(async () => {
      openai = await startFakeProvider("openai", ["delay-300"]);
      const env = { OPENAI_API_KEY: "sk-test-replicas", OPENAI_BASE_URL: openai.baseUrl };
      one = await startServer({ database: "postgres", seed: false, env });
      two = await startServer({ databaseUrl: one.databaseUrl, seed: false, env });
      db = createDb(one.databaseUrl).db;
    }, 180_000);
    afterAll(async () => {
      await db?.$disconnect();
      await two?.stop(); // shares one's database: one's stop drops it
      await one?.stop();
      await openai?.close();
    });

    it("runs every case exactly once, shared between the processes", async () => {
      const prompt = await promptWithCases(db, "replicas", 24);
      const res = await fetch(`${one.baseUrl}/prompts/${prompt.slug}/tests?index`, {
        method: "POST",
        body: new URLSearchParams({ intent: "run", suite: "default", version: "1", target: "openai:delay-300" }),
        redirect: "manual",
      });
      expect(res.status).toBe(302);
      const runId = /\/runs\/([^/?]+)$/.exec(res.headers.get("location") ?? "")![1]!;
      await waitFor(
        async () => (await db.evalRun.findUniqueOrThrow({ where: { id: runId } })).status === "passed",
        60_000,
        "the run to pass",
      );
      const jobs = await db.evalJob.findMany({ where: { runId } });
      expect(jobs.every((j) => j.status === "done" && j.attempts === 1 && j.passed)).toBe(true);
      // Each case's marker reached the provider once.
      const sent = openai.requests
        .filter((r) => r.path === "/v1/chat/completions")
        .map((r) => /marker-replicas-\d+/.exec(JSON.stringify(r.body))?.[0]);
      expect(sent.sort()).toEqual(Array.from({ length: 24 }, (_, i) => `marker-replicas-${i}`).sort());
      // Both processes took part (each runs four at once; 24 cases of 300 ms outlast one's poll).
      const owners = new Set(jobs.map((j) => j.leaseOwner!.split(":")[1]));
      expect(owners).toEqual(new Set([String(one.pid), String(two.pid)]));
    });
  },
);
