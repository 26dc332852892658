/**
 * The JSON API against the production build, on SQLite and PostgreSQL: list/search, one prompt by
 * head, label or version, render with variables; bad input gets a 4xx problem, never a 500.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb } from "~/server/db.server";
import { moveLabel } from "~/models/labels.server";
import { createPrompt, saveVersion } from "~/models/prompt-store.server";
import { createSnippet } from "~/models/snippets.server";
import { saveDefaultTestValues } from "~/models/test-values.server";
import { DATABASE_KINDS } from "../support/databases";
import { startServer, waitFor, type RunningServer } from "../support/server";

describe.each(DATABASE_KINDS)("prompts API — $label", ({ kind, skip }) => {
  let server: RunningServer;
  let brokenVersionId = "";
  beforeAll(async () => {
    if (skip) return;
    server = await startServer({ database: kind, seed: false });
    const { db } = createDb(server.databaseUrl);
    await createSnippet(db, { name: "sign", template: "— The {{team}} team" });
    const { prompt } = await createPrompt(db, {
      meta: { name: "Support reply", description: "Replies to customers", folder: "support", tags: ["support"] },
      draft: {
        sections: [
          {
            kind: "system",
            title: "Role",
            template: "You are a support agent for {{product}}.",
            enabled: true,
            examples: [],
          },
          { kind: "task", title: "Task", template: "Answer: {{question}}\n{{> sign}}", enabled: true, examples: [] },
        ],
        variables: [
          { name: "product", type: "string", required: true, enumValues: [], description: "" },
          { name: "question", type: "text", required: true, enumValues: [], description: "" },
          { name: "team", type: "string", required: false, default: "Acme", enumValues: [], description: "" },
        ],
        modelSettings: { model: "gpt-4o", temperature: 0.3, stop: [] },
      },
    });
    // A label points only at a version that renders with its defaults and saved test values.
    await saveDefaultTestValues(db, prompt.slug, { product: "Acme", question: "Where is my order?" });
    await moveLabel(db, { promptId: prompt.id, name: "production", version: 1, actor: null, authEnabled: false });
    await saveVersion(db, {
      promptId: prompt.id,
      baseVersion: 1,
      draft: {
        sections: [{ kind: "task", title: "Task", template: "v2 answers {{question}}", enabled: true, examples: [] }],
        variables: [{ name: "question", type: "text", required: true, enumValues: [], description: "" }],
        modelSettings: { model: "gpt-4o", stop: [] },
      },
    });
    // A version whose stored settings were damaged outside the app (not reachable through it).
    const broken = await createPrompt(db, {
      meta: { name: "Damaged", description: "", folder: "", tags: [] },
      draft: { sections: [], variables: [], modelSettings: { model: "gpt-4o", stop: [] } },
    });
    brokenVersionId = broken.version.id;
    await db.promptVersion.update({ where: { id: broken.version.id }, data: { modelSettings: "{not json" } });
    await db.$disconnect();
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
  });

  const get = (path: string) => fetch(`${server.baseUrl}${path}`);
  const post = (path: string, body: unknown, raw = false) =>
    fetch(`${server.baseUrl}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: raw ? (body as string) : JSON.stringify(body),
    });

  it.skipIf(skip)("lists and searches", async () => {
    const res = await get("/api/prompts?q=customers");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/application\/json/);
    const body = (await res.json()) as {
      items: Array<{ slug: string; labels: Record<string, number> }>;
      nextCursor: string | null;
    };
    expect(body.items.map((i) => i.slug)).toEqual(["support-reply"]);
    expect(body.items[0]!.labels).toEqual({ production: 1 });
    expect(((await (await get("/api/prompts?q=nothingmatches")).json()) as { items: unknown[] }).items).toEqual([]);
  });

  it.skipIf(skip)("serves the head, a label or a version", async () => {
    const head = (await (await get("/api/prompts/support-reply")).json()) as {
      version: { number: number; sections: unknown[] };
    };
    expect(head.version.number).toBe(2);
    const prod = (await (await get("/api/prompts/support-reply?label=production")).json()) as {
      version: { number: number; sections: Array<{ template: string }> };
    };
    expect(prod.version.number).toBe(1);
    expect(prod.version.sections[0]!.template).toContain("{{product}}");
    expect(
      ((await (await get("/api/prompts/support-reply?version=1")).json()) as { version: { number: number } }).version
        .number,
    ).toBe(1);
  });

  it.skipIf(skip)("renders a target with the shared renderer, snippets included", async () => {
    const res = await post("/api/prompts/support-reply/render", {
      label: "production",
      target: "openai",
      variables: { product: "Widget", question: "Where is my order?" },
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      version: number;
      json: { messages: Array<{ role: string; content: string }> };
      text: string;
    };
    expect(body.version).toBe(1);
    expect(body.json.messages[0]).toEqual({ role: "system", content: "You are a support agent for Widget." });
    expect(body.json.messages[1]!.content).toContain("— The Acme team");
    const plain = (await (
      await post("/api/prompts/support-reply/render", { variables: { question: "Hi?" } })
    ).json()) as { text: string; version: number };
    expect(plain).toMatchObject({ version: 2, text: "v2 answers Hi?" });
  });

  it.skipIf(skip)("answers bad input with a 4xx problem", async () => {
    const cases: Array<[Promise<Response>, number, string]> = [
      [get("/api/prompts/nope"), 404, "slug"],
      [get("/api/prompts/support-reply?version=99"), 404, "version"],
      [get("/api/prompts/support-reply?version=abc"), 400, "version"],
      [get("/api/prompts/support-reply?label=canary"), 404, "label"],
      [get("/api/prompts?folder=a/../b"), 400, "folder"],
      [get("/api/prompts?cursor=garbage"), 400, "cursor"],
      [get("/api/prompts?limit=1000"), 400, "limit"],
      [post("/api/prompts/support-reply/render", "{not json", true), 400, ""],
      [post("/api/prompts/support-reply/render", { target: "pdf" }), 400, "target"],
      [post("/api/prompts/support-reply/render", { variables: { question: { nested: true } } }), 400, "variables"],
      [
        post("/api/prompts/support-reply/render", { label: "production", variables: { product: "W" } }),
        422,
        "variables",
      ],
      [post("/api/prompts/support-reply/render", { unknown: 1 }), 400, ""],
      [get("/api/prompts/support-reply/render"), 405, ""],
    ];
    const responses = await Promise.all(cases.map(([pending]) => pending));
    for (const [i, [, status, field]] of cases.entries()) {
      const res = responses[i]!;
      const body = (await res.json()) as {
        error: string;
        issues: Array<{ path: Array<string | number>; message: string }>;
      };
      expect(res.status, `${res.url} ${JSON.stringify(body)}`).toBe(status);
      expect(res.headers.get("content-type"), res.url).toBe("application/problem+json");
      expect(body).toMatchObject({ status });
      expect(typeof body.error).toBe("string");
      expect(Array.isArray(body.issues)).toBe(true);
      if (field)
        expect(
          body.issues.map((i) => String(i.path[0])),
          res.url,
        ).toContain(field);
    }
  });

  it.skipIf(skip)("answers a damaged database row with a 500 and logs which row it is", async () => {
    const res = await get("/api/prompts/damaged");
    expect(res.status).toBe(500);
    expect(await res.text()).not.toContain(brokenVersionId);
    await waitFor(
      async () => server.output().includes(`PromptVersion ${brokenVersionId} in the database cannot be read`),
      5_000,
      "the error in the log",
    );
    const line = server
      .output()
      .split("\n")
      .find((l) => l.includes(brokenVersionId))!;
    expect(JSON.parse(line)).toMatchObject({
      level: "error",
      err: { name: "CorruptRecordError", message: expect.stringContaining("modelSettings is not valid JSON") },
    });
  });
});
