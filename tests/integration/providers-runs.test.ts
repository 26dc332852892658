/**
 * Issue 14: providers configured in the app (admin only; the key encrypted at rest and found in no
 * page, API answer, log line or backup), the run history of every playground run (done, failed,
 * stopped; filters, pages, delete rules), runs of a saved version, and the budgets. The providers
 * are local servers speaking the real protocols that check the key they are sent.
 */
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import zlib from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrompt, saveVersion } from "~/models/prompt-store.server";
import { promptDraftSchema } from "~/prompt/draft";
import { createRunEventDecoder, type RunEvent } from "~/prompt/run-events";
import { createDb, type Db } from "~/server/db.server";
import { sealedWith, secretId } from "~/server/providers/key-crypto.server";
import { DATABASE_KINDS } from "../support/databases";
import { startFakeProvider, type FakeProvider } from "../support/fake-providers";
import { ROOT } from "../support/paths";
import { startServer, type RunningServer } from "../support/server";

const SESSION_SECRET = "s".repeat(40);
const OLD_SECRET = "provider-secret-OLD-".padEnd(40, "o");
const NEW_SECRET = "provider-secret-NEW-".padEnd(40, "n");
const KEY = "sk-db-TOPSECRET-7f3a9c1e5b";
const ANT_KEY = "sk-ant-db-TOPSECRET-2d8e4f";
const WRONG_KEY = "sk-db-WRONGKEY-000000";

const draft = (task: string) =>
  promptDraftSchema.parse({
    sections: [
      { kind: "system" as const, title: "Role", template: "You are terse.", enabled: true, examples: [] },
      { kind: "task" as const, title: "Task", template: task, enabled: true, examples: [] },
    ],
    variables: [{ name: "topic", type: "string" as const }],
    modelSettings: { model: "gpt-4.1-mini", stop: [] },
  });

type Who = "admin" | "editor" | "viewer" | "anonymous";

describe.each(DATABASE_KINDS)("providers in the app and run history — $label", ({ kind, skip }) => {
  let server: RunningServer;
  let db: Db;
  let openai: FakeProvider;
  let anthropic: FakeProvider;
  const cookies: Partial<Record<Who, string>> = {};
  /** Every body the app answered with, to search for the key at the end. */
  const seen: string[] = [];
  let providerId = "";
  let antId = "";

  const req = async (base: string, p: string, init: RequestInit & { who?: Who } = {}) => {
    const headers = new Headers(init.headers);
    if (init.who && cookies[init.who]) headers.set("Cookie", cookies[init.who]!);
    const res = await fetch(base + p, { ...init, headers, redirect: "manual" });
    return res;
  };
  const get = async (p: string, who: Who, base = server.baseUrl) => {
    const res = await req(base, p, { who });
    const text = await res.text();
    seen.push(text, JSON.stringify([...res.headers]));
    return { status: res.status, text, headers: res.headers };
  };
  const post = async (p: string, who: Who, fields: Record<string, string>, base = server.baseUrl) => {
    const res = await req(base, p, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(fields).toString(),
      who,
    });
    const text = await res.text();
    seen.push(text, JSON.stringify([...res.headers]));
    return { status: res.status, text, headers: res.headers };
  };
  const sessionCookie = (res: Response) =>
    res.headers
      .getSetCookie()
      .find((c) => c.startsWith("pb_session="))!
      .split(";")[0]!;

  async function run(body: Record<string, unknown>, who: Who, signal?: AbortSignal, base = server.baseUrl) {
    return req(base, "/resources/playground", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
      who,
      signal,
    });
  }
  async function events(res: Response): Promise<RunEvent[]> {
    expect(res.status, res.status === 200 ? "" : await res.clone().text()).toBe(200);
    const decode = createRunEventDecoder();
    const out: RunEvent[] = [];
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    let raw = "";
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      raw += value;
      out.push(...decode(value));
    }
    seen.push(raw);
    return out;
  }

  beforeAll(async () => {
    if (skip) return;
    openai = await startFakeProvider("openai", ["fake-small", "fake-large"], { apiKey: KEY });
    anthropic = await startFakeProvider("anthropic", ["claude-fake"], { apiKey: ANT_KEY });
    server = await startServer({
      database: kind,
      seed: false,
      // Frequent full collections: a run must still stop when its page goes after the action's
      // Request copies are collected (app/server/http/client-gone.server.ts).
      nodeArgs: ["--gc-global", "--gc-interval=100000"],
      env: {
        ENABLE_AUTH: "true",
        SESSION_SECRET,
        PROVIDER_KEY_SECRET: OLD_SECRET,
        LOG_LEVEL: "debug",
        PLAYGROUND_MAX_INPUT_TOKENS: "2000",
        PLAYGROUND_MAX_OUTPUT_TOKENS: "64",
        PLAYGROUND_MONTHLY_BUDGET_USD: "50",
        PLAYGROUND_USER_MONTHLY_BUDGET_USD: "2",
      },
    });
    db = createDb(server.databaseUrl).db;
    const first = await req(server.baseUrl, "/signup", {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        name: "Ada Admin",
        email: "admin@example.test",
        password: "correct horse admin battery",
      }).toString(),
      redirect: "manual",
    });
    cookies.admin = sessionCookie(first);
    for (const role of ["editor", "viewer"] as const) {
      const inv = await post("/admin", "admin", { intent: "invite", role });
      const invite = /signup\?invite=([A-Za-z0-9_-]+)/.exec(inv.text)![1]!;
      const res = await req(server.baseUrl, "/signup", {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({
          invite,
          name: `Ed ${role}`,
          email: `${role}@example.test`,
          password: `correct horse ${role} battery`,
        }).toString(),
      });
      cookies[role] = sessionCookie(res);
    }
    const { prompt } = await createPrompt(db, {
      meta: { name: "Tides", description: "", tags: [], folder: "" },
      slug: "tides",
      draft: draft("Summarise {{topic}} in one line."),
    });
    await saveVersion(db, { promptId: prompt.id, baseVersion: 1, draft: draft("Explain {{topic}} to a child.") });
    await db.prompt.update({
      where: { id: prompt.id },
      data: { testValues: JSON.stringify({ default: { topic: "tides" } }) },
    });
  }, 120_000);
  afterAll(async () => {
    await db?.$disconnect();
    await server?.stop();
    await openai?.close();
    await anthropic?.close();
  });

  it.skipIf(skip)("only an admin adds, changes and removes providers", async () => {
    const fields = {
      intent: "create",
      name: "Local OpenAI",
      protocol: "openai",
      baseUrl: openai.baseUrl,
      apiKey: KEY,
      models: "",
    };
    expect((await post("/admin/providers", "editor", fields)).status).toBe(403);
    expect((await post("/admin/providers", "viewer", fields)).status).toBe(403);
    const anon = await post("/admin/providers", "anonymous", fields);
    expect(anon.status).toBe(302);
    expect(anon.headers.get("location")).toMatch(/^\/login/);
    expect((await get("/admin/providers", "editor")).status).toBe(403);
    expect(await db.modelProvider.count()).toBe(0);

    // Bad input: field problems, nothing stored.
    const bad = await post("/admin/providers", "admin", { ...fields, baseUrl: "ftp://x", apiKey: "" });
    expect(bad.status).toBe(422);
    expect(bad.text).toContain("an http(s) URL");
    expect(await db.modelProvider.count()).toBe(0);
    const noKey = await post("/admin/providers", "admin", { ...fields, apiKey: "" });
    expect(noKey.status).toBe(422);
    expect(noKey.text).toContain("An API key is required.");

    const added = await post("/admin/providers", "admin", fields);
    expect(added.status).toBe(200);
    expect(added.text).toContain("Provider added.");
    expect((await post("/admin/providers", "admin", fields)).text).toContain("Another provider has this name.");
    const ant = await post("/admin/providers", "admin", {
      ...fields,
      name: "Local Anthropic",
      protocol: "anthropic",
      baseUrl: anthropic.baseUrl,
      apiKey: ANT_KEY,
      models: "claude-fake, slow",
    });
    expect(ant.status).toBe(200);
    const rows = await db.modelProvider.findMany({ orderBy: { name: "asc" } });
    expect(rows.map((r) => r.name)).toEqual(["Local Anthropic", "Local OpenAI"]);
    [antId, providerId] = rows.map((r) => r.id) as [string, string];
    // The row holds ciphertext only.
    for (const r of rows) {
      expect(r.keyCiphertext).toMatch(/^v1\./);
      expect(sealedWith(r.keyCiphertext)).toBe(secretId(OLD_SECRET));
      expect(JSON.stringify(r)).not.toContain("TOPSECRET");
    }
    expect(rows[0]!.allowedModels).toBe(JSON.stringify(["claude-fake", "slow"]));

    const page = await get("/admin/providers", "admin");
    expect(page.status).toBe(200);
    expect(page.text).toContain("Local OpenAI");
    expect(page.text).not.toContain("TOPSECRET");
    const edit = await get(`/admin/providers?edit=${providerId}`, "admin");
    expect(edit.text).toContain("type a new one to replace it");

    // A change with a blank key keeps the stored key.
    const before = (await db.modelProvider.findUniqueOrThrow({ where: { id: providerId } })).keyCiphertext;
    const changed = await post("/admin/providers", "admin", {
      ...fields,
      intent: "update",
      id: providerId,
      name: "Local OpenAI",
      apiKey: "",
    });
    expect(changed.text).toContain("Provider saved.");
    expect((await db.modelProvider.findUniqueOrThrow({ where: { id: providerId } })).keyCiphertext).toBe(before);
  });

  it.skipIf(skip)(
    "the playground lists app providers (models from the endpoint or the allow-list) and never a key",
    async () => {
      const res = await get("/resources/playground", "viewer");
      expect(res.status).toBe(200);
      const body = JSON.parse(res.text) as { providers: Array<{ id: string; name: string; models: string[] }> };
      expect(body.providers).toEqual([
        { id: antId, name: "Local Anthropic", protocol: "anthropic", models: ["claude-fake", "slow"] },
        { id: providerId, name: "Local OpenAI", protocol: "openai", models: ["fake-large", "fake-small"] },
      ]);
      // The models endpoint was called with the stored key (the fake refuses any other).
      expect(openai.requests.find((r) => r.path === "/v1/models")?.headers.authorization).toBe(`Bearer ${KEY}`);
    },
  );

  it.skipIf(skip)("a saved version runs on a DB-configured provider with its key, and is recorded", async () => {
    const evs = await events(
      await run(
        { slug: "tides", version: 1, values: { topic: "tides" }, provider: providerId, model: "fake-small" },
        "editor",
      ),
    );
    expect(evs.at(-1)).toMatchObject({ type: "done", usage: { inputTokens: 42 } });
    const text = evs.flatMap((e) => (e.type === "text" ? [e.text] : [])).join("");
    expect(text).toContain("Summarise tides in one line.");
    const sent = openai.requests.filter((r) => r.path === "/v1/chat/completions").at(-1)!;
    expect(sent.headers.authorization).toBe(`Bearer ${KEY}`);
    // The per-run output cap (PLAYGROUND_MAX_OUTPUT_TOKENS) is sent.
    expect(sent.body.max_completion_tokens).toBe(64);

    // Anthropic through the other row, version 2.
    const ant = await events(
      await run(
        { slug: "tides", version: 2, values: { topic: "waves" }, provider: antId, model: "claude-fake" },
        "admin",
      ),
    );
    expect(ant.at(-1)).toMatchObject({ type: "done", finishReason: "end_turn" });
    expect(anthropic.requests.at(-1)!.body.max_tokens).toBe(64);

    await expect.poll(() => db.playgroundRun.count()).toBe(2);
    const [first] = await db.playgroundRun.findMany({ orderBy: { createdAt: "asc" } });
    const editor = await db.user.findUniqueOrThrow({ where: { email: "editor@example.test" } });
    expect(first).toMatchObject({
      versionNumber: 1,
      providerId,
      providerName: "Local OpenAI",
      model: "fake-small",
      status: "ok",
      finishReason: "stop",
      inputTokens: 42,
      userId: editor.id,
      userName: "Ed editor",
      outputTruncated: false,
    });
    expect(first!.output).toBe(text);
    expect(JSON.parse(first!.values)).toEqual({ topic: "tides" });
    expect(first!.totalMs).toBeGreaterThanOrEqual(0);
  });

  it.skipIf(skip)(
    "a draft run is recorded against its prompt; a wrong key fails and a stop is recorded as stopped",
    async () => {
      const d = draft("Describe {{topic}}.");
      await events(
        await run(
          { slug: "tides", draft: d, values: { topic: "moon" }, provider: providerId, model: "fake-large" },
          "editor",
        ),
      );
      // The key at the provider is wrong now: explained as such, recorded as failed.
      await post("/admin/providers", "admin", {
        intent: "update",
        id: providerId,
        name: "Local OpenAI",
        protocol: "openai",
        baseUrl: openai.baseUrl,
        apiKey: WRONG_KEY,
        models: "",
      });
      const failed = await events(
        await run(
          { slug: "tides", version: 2, values: { topic: "x" }, provider: providerId, model: "fake-small" },
          "editor",
        ),
      );
      expect(failed.at(-1)).toMatchObject({ type: "error", failure: { kind: "auth" } });
      // Put the right key back, then stop a slow run.
      await post("/admin/providers", "admin", {
        intent: "update",
        id: providerId,
        name: "Local OpenAI",
        protocol: "openai",
        baseUrl: openai.baseUrl,
        apiKey: KEY,
        models: "",
      });
      const controller = new AbortController();
      const slow = await run(
        { slug: "tides", version: 2, values: { topic: "y" }, provider: antId, model: "slow" },
        "editor",
        controller.signal,
      );
      const reader = slow.body!.getReader();
      await reader.read();
      await reader.read();
      // Work enough for the server's collections to run before the page goes.
      for (let i = 0; i < 10; i++) await (await fetch(`${server.baseUrl}/login`)).arrayBuffer();
      controller.abort();
      await expect.poll(() => db.playgroundRun.count({ where: { status: "stopped" } }), { timeout: 10_000 }).toBe(1);
      const rows = await db.playgroundRun.findMany({ orderBy: { createdAt: "asc" } });
      expect(rows.map((r) => [r.versionNumber, r.status])).toEqual([
        [1, "ok"],
        [2, "ok"],
        [null, "ok"],
        [2, "failed"],
        [2, "stopped"],
      ]);
      expect(rows[2]!.draftHash).toMatch(/^[0-9a-f]{12}$/);
      expect(rows[3]).toMatchObject({ errorKind: "auth" });
      expect(rows[4]!.output.length).toBeGreaterThan(0);
    },
  );

  it.skipIf(skip)("the runs page lists, filters, pages and opens runs; deleting follows the roles", async () => {
    const all = await get("/prompts/tides/runs", "viewer");
    expect(all.status).toBe(200);
    expect(all.text).toContain("5 runs");
    const failedOnly = await get("/prompts/tides/runs?status=failed", "viewer");
    expect(failedOnly.text).toContain("1 run<");
    expect((await get("/prompts/tides/runs?version=draft", "viewer")).text).toContain("1 run<");
    expect((await get("/prompts/tides/runs?model=claude-fake", "viewer")).text).toContain("1 run<");
    expect((await get("/prompts/tides/runs?status=bogus", "viewer")).status).toBe(400);
    const one = await db.playgroundRun.findFirstOrThrow({ where: { versionNumber: 1 } });
    const detail = await get(`/prompts/tides/runs/${one.id}`, "viewer");
    expect(detail.status).toBe(200);
    expect(detail.text).toContain("Summarise tides in one line.");
    expect((await get("/prompts/tides/runs/nope", "viewer")).status).toBe(404);

    // Paging: 30 more runs → two pages of 25.
    const prompt = await db.prompt.findUniqueOrThrow({ where: { slug: "tides" } });
    await db.playgroundRun.createMany({
      data: Array.from({ length: 30 }, (_, i) => ({
        promptId: prompt.id,
        versionNumber: 1,
        draftHash: "x",
        providerId: "openai",
        providerName: "Bulk",
        model: `bulk-${i}`,
        status: "ok",
        totalMs: 1,
        createdAt: new Date(Date.UTC(2020, 0, 1, 0, i)),
      })),
    });
    const page2 = await get("/prompts/tides/runs?page=2", "viewer");
    expect(page2.text).toContain("Page 2 of 2");
    expect(page2.text).toContain("bulk-0<");

    // Deleting: a viewer never; an editor their own only; an admin any.
    const adminRun = await db.playgroundRun.findFirstOrThrow({ where: { versionNumber: 2, status: "ok" } });
    const editorRun = one;
    expect((await post("/prompts/tides/runs?index", "viewer", { intent: "delete", id: editorRun.id })).status).toBe(
      403,
    );
    expect((await post("/prompts/tides/runs?index", "editor", { intent: "delete", id: adminRun.id })).status).toBe(403);
    const own = await post("/prompts/tides/runs?index", "editor", { intent: "delete", id: editorRun.id });
    expect(own.status).toBe(302);
    expect(own.headers.get("location")).toContain("deleted=1");
    expect(await db.playgroundRun.count({ where: { id: editorRun.id } })).toBe(0);
    const byAdmin = await post(`/prompts/tides/runs/${adminRun.id}`, "admin", { intent: "delete" });
    expect(byAdmin.status).toBe(302);
    expect(await db.playgroundRun.count({ where: { id: adminRun.id } })).toBe(0);
  });

  it.skipIf(skip)("budgets: input tokens per run, then a user's and the instance's monthly spend", async () => {
    const calls = openai.requests.length;
    const long = await run(
      { slug: "tides", version: 1, values: { topic: "word ".repeat(3000) }, provider: providerId, model: "fake-small" },
      "editor",
    );
    expect(long.status).toBe(422);
    expect(((await long.json()) as { error: string }).error).toMatch(/PLAYGROUND_MAX_INPUT_TOKENS/);
    expect(openai.requests.length).toBe(calls);

    const editor = await db.user.findUniqueOrThrow({ where: { email: "editor@example.test" } });
    const prompt = await db.prompt.findUniqueOrThrow({ where: { slug: "tides" } });
    const spend = (userId: string | null, costUsd: number) =>
      db.playgroundRun.create({
        data: {
          promptId: prompt.id,
          draftHash: "x",
          providerId: "p",
          providerName: "p",
          model: "m",
          status: "ok",
          totalMs: 1,
          userId,
          costUsd,
        },
      });
    await spend(editor.id, 2.5);
    const overUser = await run(
      { slug: "tides", version: 1, values: { topic: "t" }, provider: providerId, model: "fake-small" },
      "editor",
    );
    expect(overUser.status).toBe(429);
    expect(((await overUser.json()) as { error: string }).error).toMatch(/Your playground budget of \$2\.00/);
    // The admin has spent nothing: still runs.
    await events(
      await run(
        { slug: "tides", version: 1, values: { topic: "t" }, provider: providerId, model: "fake-small" },
        "admin",
      ),
    );
    await spend(null, 60);
    const overAll = await run(
      { slug: "tides", version: 1, values: { topic: "t" }, provider: providerId, model: "fake-small" },
      "admin",
    );
    expect(overAll.status).toBe(429);
    expect(((await overAll.json()) as { error: string }).error).toMatch(/This month's playground budget of \$50\.00/);
    expect(openai.requests.filter((r) => r.path === "/v1/chat/completions").length).toBeGreaterThan(0);
  });

  it.skipIf(skip)(
    "rotation and a wrong secret: re-encrypt with a new secret; a server without it refuses clearly",
    async () => {
      const rotated = await startServer({
        databaseUrl: server.databaseUrl,
        seed: false,
        env: {
          ENABLE_AUTH: "true",
          SESSION_SECRET,
          PROVIDER_KEY_SECRET: `${NEW_SECRET},${OLD_SECRET}`,
          LOG_LEVEL: "debug",
        },
      });
      try {
        const done = await post("/admin/providers", "admin", { intent: "reseal" }, rotated.baseUrl);
        expect(done.text).toContain("2 key(s) re-encrypted");
        for (const r of await db.modelProvider.findMany())
          expect(sealedWith(r.keyCiphertext)).toBe(secretId(NEW_SECRET));
        seen.push(rotated.output());
      } finally {
        await rotated.stop();
      }
      // The first server knows only the old secret now: a clear message, not a crash.
      const page = await get("/admin/providers", "admin");
      expect(page.status).toBe(200);
      expect(page.text).toContain("cannot be read");
      const list = await get("/resources/playground", "editor");
      expect(list.status).toBe(200);
      expect(JSON.parse(list.text)).toEqual({ providers: [] });
      const res = await run(
        { slug: "tides", version: 1, values: { topic: "t" }, provider: providerId, model: "fake-small" },
        "admin",
      );
      expect(res.status).toBe(422);
      const problem = (await res.json()) as { error: string };
      expect(problem.error).toMatch(/cannot be read: .*not in PROVIDER_KEY_SECRET/);
      seen.push(JSON.stringify(problem));
    },
  );

  it.skipIf(skip)("the key is nowhere: pages, API answers, the log, the database rows and a backup", async () => {
    for (const p of [
      "/",
      "/prompts/tides",
      "/prompts/tides/runs",
      "/prompts/tides/compare-runs",
      "/prompts/tides/history",
      "/admin",
      "/api/v1/prompts/tides",
    ]) {
      const res = await get(p, "admin");
      expect(res.status, p).toBeLessThan(500);
    }
    const everything = [...seen, server.output()].join("\n");
    expect(everything.length).toBeGreaterThan(10_000);
    for (const secret of [KEY, ANT_KEY, WRONG_KEY, "TOPSECRET", OLD_SECRET, NEW_SECRET]) {
      expect(everything.includes(secret), secret).toBe(false);
    }
    const rows = JSON.stringify([await db.modelProvider.findMany(), await db.playgroundRun.findMany()]);
    expect(rows).not.toContain("TOPSECRET");
    if (kind !== "sqlite") return;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pb-backup-"));
    try {
      await promisify(execFile)(process.execPath, [path.join(ROOT, "build", "cli", "backup.js")], {
        cwd: ROOT,
        env: { ...process.env, DATABASE_URL: server.databaseUrl, BACKUP_DIR: dir },
      });
      const files = fs.readdirSync(dir).filter((f) => !f.endsWith(".tmp"));
      expect(files.length).toBeGreaterThan(0);
      for (const f of files) {
        const raw = fs.readFileSync(path.join(dir, f));
        const bytes = f.endsWith(".gz") ? zlib.gunzipSync(raw) : raw;
        // The backup holds the providers table (ciphertext), never the key.
        if (f.endsWith(".gz")) expect(bytes.includes("Local OpenAI"), `${f}: ${bytes.length} bytes`).toBe(true);
        expect(bytes.includes("TOPSECRET")).toBe(false);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
