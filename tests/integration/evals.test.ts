/**
 * Issue 14, evaluations: test cases edited through the tests page, a suite of five cases with
 * mixed assertions (an LLM judge answered by the local Anthropic server among them) run in the
 * background by the app's worker on both databases, the results and the comparison of two runs,
 * and a gated label that refuses a failing version and moves after a passing run, recording it.
 * The providers are local servers speaking the real protocols (tests/support/fake-providers.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "~/server/db.server";
import { createPrompt, saveVersion } from "~/models/prompt-store.server";
import { evalRunDetail, compareEvalRuns } from "~/models/evals.server";
import { promptDraftSchema } from "~/prompt/draft";
import { DATABASE_KINDS } from "../support/databases";
import { startFakeProvider, type FakeProvider } from "../support/fake-providers";
import { startServer, waitFor, type RunningServer } from "../support/server";

const draft = (task: string) =>
  promptDraftSchema.parse({
    sections: [{ kind: "task", title: "Task", template: task }],
    variables: [
      { name: "topic", type: "string", required: true },
      { name: "words", type: "number", required: false },
    ],
    modelSettings: { model: "gpt-4o", stop: [] },
  });

const form = (fields: Record<string, string>) => ({
  method: "POST",
  body: new URLSearchParams(fields),
  redirect: "manual" as const,
});

for (const { kind, skip, label } of DATABASE_KINDS) {
  describe.skipIf(skip)(`evaluations on ${label}`, () => {
    let openai: FakeProvider;
    let anthropic: FakeProvider;
    let server: RunningServer;
    let db: Db;
    const stops: Array<() => Promise<unknown>> = [];

    beforeAll(async () => {
      openai = await startFakeProvider("openai", ["fake-small", "gpt-4o-mini"]);
      anthropic = await startFakeProvider("anthropic", ["claude-judge"]);
      stops.push(openai.close, anthropic.close);
      server = await startServer({
        database: kind,
        seed: false,
        env: {
          OPENAI_API_KEY: "sk-test-EVAL-OPENAI-SECRET",
          OPENAI_BASE_URL: openai.baseUrl,
          ANTHROPIC_API_KEY: "sk-ant-EVAL-ANTHROPIC-SECRET",
          ANTHROPIC_BASE_URL: anthropic.baseUrl,
        },
      });
      stops.push(server.stop);
      db = createDb(server.databaseUrl).db;
      stops.push(() => db.$disconnect());
    });
    afterAll(async () => {
      for (const stop of stops.reverse()) await stop();
    });

    const page = (slug: string) => `${server.baseUrl}/prompts/${slug}/tests?index`;
    const post = (slug: string, fields: Record<string, string>) => fetch(page(slug), form(fields));
    async function finished(runId: string, promptId: string) {
      let detail = await evalRunDetail(db, promptId, runId);
      await waitFor(
        async () => {
          detail = await evalRunDetail(db, promptId, runId);
          return !["queued", "running"].includes(detail.run.status);
        },
        30_000,
        "the run to finish",
      );
      return detail;
    }
    async function startRun(slug: string, fields: Record<string, string>) {
      const res = await post(slug, { intent: "run", suite: "default", target: "openai:fake-small", ...fields });
      expect(res.status, await res.clone().text()).toBe(302);
      const runId = /\/runs\/([^/?]+)$/.exec(res.headers.get("location") ?? "")?.[1];
      expect(runId).toBeTruthy();
      return runId!;
    }

    it("edits cases on the page: saved test values become the first case; values are checked per cell", async () => {
      const { prompt } = await createPrompt(db, {
        meta: { name: "Summaries", description: "", folder: "", tags: [] },
        draft: draft("Summarise {{topic}}."),
        testValues: { topic: "tides" },
      });
      const first = await fetch(`${server.baseUrl}/prompts/${prompt.slug}/tests`);
      expect(first.status).toBe(200);
      expect(await first.text()).toContain('value="Saved test values"');
      // Shown, not stored: reading the page writes nothing.
      expect(await db.testCase.count({ where: { promptId: prompt.id } })).toBe(0);
      expect(await db.evalSuite.count({ where: { promptId: prompt.id } })).toBe(0);

      // The first case has no id until it is stored: "" names it.
      const bad = await post(prompt.slug, {
        intent: "save-case",
        caseId: "",
        name: "Tides",
        "v:topic": "tides",
        "v:words": "many",
      });
      expect(bad.status).toBe(422);
      expect(await bad.text()).toContain("must be a number, got text &quot;many&quot;");
      expect(await db.testCase.count({ where: { promptId: prompt.id } })).toBe(0); // refused: nothing written

      const ok = await post(prompt.slug, {
        intent: "save-case",
        caseId: "",
        name: "Tides",
        "v:topic": "tides",
        "v:words": "12",
      });
      expect(ok.status).toBe(302);
      const cases = await db.testCase.findMany({ where: { promptId: prompt.id } });
      expect(cases.map((c) => [c.name, JSON.parse(c.values)])).toEqual([["Tides", { topic: "tides", words: "12" }]]);
      expect((await db.evalSuite.findMany({ where: { promptId: prompt.id } })).map((x) => x.name)).toEqual(["default"]);
      // A name taken by another case is refused, and the values are not saved either.
      expect((await post(prompt.slug, { intent: "add-case", name: "Other" })).status).toBe(302);
      const taken = await post(prompt.slug, {
        intent: "save-case",
        caseId: cases[0]!.id,
        name: "Other",
        "v:topic": "changed",
      });
      expect(taken.status).toBe(409);
      expect(JSON.parse((await db.testCase.findUniqueOrThrow({ where: { id: cases[0]!.id } })).values)).toEqual({
        topic: "tides",
        words: "12",
      });
    });

    it("imports CSV all or nothing, with line numbers, and exports what it imported", async () => {
      const { prompt } = await createPrompt(db, {
        meta: { name: "Importing", description: "", folder: "", tags: [] },
        draft: draft("Summarise {{topic}}."),
      });
      const upload = (text: string) => {
        const body = new FormData();
        body.set("intent", "import");
        body.set("format", "csv");
        body.set("file", new Blob([text], { type: "text/csv" }), "cases.csv");
        return fetch(page(prompt.slug), { method: "POST", body, redirect: "manual" });
      };
      const bad = await upload("name,topic,words\ngood,moon,3\nbad,,x\n");
      expect(bad.status).toBe(422);
      const html = await bad.text();
      expect(html).toContain("line 3: &quot;topic&quot; is required");
      expect(html).toContain("line 3: &quot;words&quot; must be a number");
      expect(await db.testCase.count({ where: { promptId: prompt.id } })).toBe(0);

      const good = await upload('name,topic,words\ngood,moon,3\n"with, comma","sun ""hot""",\n');
      expect(good.status).toBe(302);
      const csv = await (await fetch(`${server.baseUrl}/prompts/${prompt.slug}/tests/export?format=csv`)).text();
      expect(csv).toBe('name,topic,words\r\ngood,moon,3\r\n"with, comma","sun ""hot""",\r\n');
      const jsonl = await fetch(`${server.baseUrl}/prompts/${prompt.slug}/tests/export?format=jsonl`);
      expect(jsonl.headers.get("content-type")).toMatch(/^application\/jsonl/);
      expect((await jsonl.text()).trim().split("\n")).toHaveLength(2);
      expect((await fetch(`${server.baseUrl}/prompts/${prompt.slug}/tests/export?format=xml`)).status).toBe(400);
    });

    it("runs a suite of five cases with mixed assertions and a judge in the background; compares two runs", async () => {
      const { prompt } = await createPrompt(db, {
        meta: { name: "Suite", description: "", folder: "", tags: [] },
        draft: draft("Summarise {{topic}}."),
        testValues: { topic: "tides" },
      });
      await saveVersion(db, { promptId: prompt.id, baseVersion: 1, draft: draft("Explain {{topic}}.") });
      for (const name of ["moon", "sun", "rain", "wind"])
        expect((await post(prompt.slug, { intent: "add-case", name })).status).toBe(302);
      const cases = await db.testCase.findMany({ where: { promptId: prompt.id }, orderBy: { position: "asc" } });
      const id = (n: string) => cases.find((c) => c.name === n)!.id;
      for (const n of ["moon", "sun", "rain", "wind"]) {
        const res = await post(prompt.slug, { intent: "save-case", caseId: id(n), name: n, "v:topic": n });
        expect(res.status, await res.text()).toBe(302);
      }
      const suite = await db.evalSuite.findFirstOrThrow({ where: { promptId: prompt.id } });
      const add = async (fields: Record<string, string>) => {
        const res = await post(prompt.slug, { intent: "add-assertion", ...fields });
        expect(res.status, await res.clone().text()).toBe(302);
      };
      await add({ caseId: id("Saved test values"), kind: "contains", value: "TIDES" });
      await add({ caseId: id("moon"), kind: "regex", pattern: "^You said: Summarise .*moon", flags: "" });
      await add({
        caseId: id("sun"),
        kind: "judge",
        rubric: 'Does it talk about the sun? [scripted: pass if the answer contains "sun"]',
        judge: "anthropic:claude-judge",
        threshold: "0.5",
      });
      await add({ caseId: id("rain"), kind: "tokens", max: "3" });
      await add({ caseId: id("wind"), kind: "not-contains", value: "Summarise" });
      await add({ suiteId: suite.id, kind: "length", max: "500" });
      await add({ suiteId: suite.id, kind: "json-schema", schema: '{"type": "string"}' }); // never JSON: fails
      // A pattern that would backtrack forever is refused as a bad regex? No: it is valid, and time-limited.
      const refused = await post(prompt.slug, {
        intent: "add-assertion",
        caseId: id("moon"),
        kind: "regex",
        pattern: "(",
      });
      expect(refused.status).toBe(422);
      // The schema assertion makes every case fail: remove it (index 1 of the suite's list).
      expect((await post(prompt.slug, { intent: "remove-assertion", suiteId: suite.id, index: "1" })).status).toBe(302);

      const judgeCallsBefore = anthropic.requests.filter((r) => r.path === "/v1/messages").length;
      const v1 = await startRun(prompt.slug, { version: "1" });
      const r1 = await finished(v1, prompt.id);
      const byName = Object.fromEntries(r1.cases.map((c) => [c.name, c]));
      expect(r1.run, JSON.stringify(r1.cases.map((c) => [c.name, c.passed, c.error, c.results]))).toMatchObject({
        status: "failed",
        total: 5,
        done: 5,
        passed: 3,
        failed: 2,
      });
      expect(byName["Saved test values"]).toMatchObject({ passed: true, output: "You said: Summarise tides." });
      expect(byName.moon!.passed).toBe(true);
      expect(byName.sun!.passed).toBe(true);
      expect(byName.sun!.results[0]).toMatchObject({
        kind: "judge",
        passed: true,
        score: 0.9,
        reasoning: 'The answer mentions "sun".',
      });
      expect(byName.rain!.passed).toBe(false);
      expect(byName.rain!.results[0]!.detail).toMatch(/tokens, more than 3$/);
      expect(byName.wind!.passed).toBe(false);
      for (const c of r1.cases) {
        expect(c.results.at(-1)).toMatchObject({ kind: "length", passed: true });
        expect(c.latencyMs).toBeGreaterThanOrEqual(0);
        expect(c.inputTokens).toBe(42);
      }
      expect(anthropic.requests.filter((r) => r.path === "/v1/messages").length - judgeCallsBefore).toBe(1);

      // A model in the app's price table: the run's cost is the sum of its cases'.
      const v2 = await startRun(prompt.slug, { version: "2", target: "openai:gpt-4o-mini" });
      const r2 = await finished(v2, prompt.id);
      expect(r1.run.costUsd).toBeNull();
      expect(r2.run.costUsd).toBeGreaterThan(0);
      expect(r2.run.costUsd).toBeCloseTo(
        r2.cases.reduce((sum, c) => sum + (c.costUsd ?? 0), 0),
        10,
      );
      expect(r2.run).toMatchObject({ status: "failed", passed: 3, failed: 2 });
      const comparison = await compareEvalRuns(db, prompt.id, v1, v2);
      expect(comparison.broke).toEqual(["moon"]);
      expect(comparison.fixed).toEqual(["wind"]);
      const html = (
        await (await fetch(`${server.baseUrl}/prompts/${prompt.slug}/tests/runs/${v2}?with=${v1}`)).text()
      ).replaceAll("<!-- -->", "");
      expect(html).toContain("1 case went from pass to fail, 1 from fail to pass");
      expect(html).toContain("The answer mentions &quot;sun&quot;.");
      expect(html).not.toContain("EVAL-OPENAI-SECRET");
      expect(html).not.toContain("EVAL-ANTHROPIC-SECRET");
      expect(server.output()).not.toContain("SECRET");
    });

    it("a gated label refuses a failing version, moves after a passing run and records the run", async () => {
      const { prompt } = await createPrompt(db, {
        meta: { name: "Gated", description: "", folder: "", tags: [] },
        draft: draft("Explain {{topic}}."),
        testValues: { topic: "tides" },
      });
      await saveVersion(db, { promptId: prompt.id, baseVersion: 1, draft: draft("Summarise {{topic}}.") });
      await saveVersion(db, { promptId: prompt.id, baseVersion: 2, draft: draft("Explain {{topic}} simply.") });
      const move = (version: string) =>
        fetch(`${server.baseUrl}/prompts/${prompt.slug}?index`, form({ intent: "label", name: "production", version }));
      expect((await move("1")).status).toBe(302);
      // The default suite is shown before it is stored; an assertion added to it (id "") stores it.
      expect(
        (await post(prompt.slug, { intent: "add-assertion", suiteId: "", kind: "contains", value: "Explain" })).status,
      ).toBe(302);
      const suite = await db.evalSuite.findFirstOrThrow({ where: { promptId: prompt.id } });
      expect((await post(prompt.slug, { intent: "gate", label: "production", suite: "default" })).status).toBe(302);

      const unrun = await move("3");
      expect(unrun.status).toBe(422);
      expect(await unrun.text()).toContain("passed the suite &quot;default&quot;: it has not been run on version 3");

      const failing = await finished(await startRun(prompt.slug, { version: "2" }), prompt.id);
      expect(failing.run.status).toBe("failed");
      const refused = await move("2");
      expect(refused.status).toBe(422);
      expect(await refused.text()).toContain(
        "&quot;production&quot; may move only to a version that passed the suite &quot;default&quot;: its last run on version 2 (fake-small) failed 1 of 1 cases.",
      );
      const label = await db.label.findFirstOrThrow({
        where: { promptId: prompt.id, name: "production" },
        include: { version: true },
      });
      expect(label.version.number).toBe(1);

      const passing = await finished(await startRun(prompt.slug, { version: "3" }), prompt.id);
      expect(passing.run.status).toBe("passed");
      expect((await move("3")).status).toBe(302);
      const event = await db.labelEvent.findFirstOrThrow({
        where: { labelId: label.id },
        orderBy: { createdAt: "desc" },
      });
      expect(event).toMatchObject({ toNumber: 3, evalRunId: passing.run.id });
      // The labels panel links the move to the run that allowed it.
      const promptPage = await (await fetch(`${server.baseUrl}/prompts/${prompt.slug}`)).text();
      expect(promptPage).toContain(`href="/prompts/${prompt.slug}/tests/runs/${passing.run.id}"`);

      // The gate goes with its label: a suite that gates cannot be deleted.
      const del = await post(prompt.slug, { intent: "delete-suite", suiteId: suite.id });
      expect(del.status).toBe(422);
      expect(await del.text()).toContain("gates the label &quot;production&quot;");
    });
  });
}
