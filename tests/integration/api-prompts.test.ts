/**
 * The JSON API against the production build, on SQLite and PostgreSQL: list/search, one prompt by
 * head, label or version, render with variables, snippets; reads carry a strong ETag and answer 304;
 * bad input gets a 4xx problem, never a 500; any other /api path a JSON 404/405, the old paths 308.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb } from "~/server/db.server";
import { moveLabel } from "~/models/labels.server";
import { createPrompt, saveVersion } from "~/models/prompt-store.server";
import { createSnippet, saveSnippet } from "~/models/snippets.server";
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
    const res = await get("/api/v1/prompts?q=customers");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/application\/json/);
    const body = (await res.json()) as {
      items: Array<{ slug: string; labels: Record<string, number> }>;
      nextCursor: string | null;
    };
    expect(body.items.map((i) => i.slug)).toEqual(["support-reply"]);
    expect(body.items[0]!.labels).toEqual({ production: 1 });
    expect(((await (await get("/api/v1/prompts?q=nothingmatches")).json()) as { items: unknown[] }).items).toEqual([]);
  });

  it.skipIf(skip)("serves the head, a label or a version", async () => {
    const head = (await (await get("/api/v1/prompts/support-reply")).json()) as {
      version: { number: number; sections: unknown[] };
    };
    expect(head.version.number).toBe(2);
    const prod = (await (await get("/api/v1/prompts/support-reply?label=production")).json()) as {
      version: { number: number; sections: Array<{ template: string }> };
    };
    expect(prod.version.number).toBe(1);
    expect(prod.version.sections[0]!.template).toContain("{{product}}");
    expect(
      ((await (await get("/api/v1/prompts/support-reply?version=1")).json()) as { version: { number: number } }).version
        .number,
    ).toBe(1);
  });

  it.skipIf(skip)("renders a target with the shared renderer, snippets included", async () => {
    const res = await post("/api/v1/prompts/support-reply/render", {
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
      await post("/api/v1/prompts/support-reply/render", { variables: { question: "Hi?" } })
    ).json()) as { text: string; version: number };
    expect(plain).toMatchObject({ version: 2, text: "v2 answers Hi?" });
  });

  it.skipIf(skip)("answers bad input with a 4xx problem", async () => {
    const cases: Array<[Promise<Response>, number, string]> = [
      [get("/api/v1/prompts/nope"), 404, "slug"],
      [get("/api/v1/prompts/support-reply?version=99"), 404, "version"],
      [get("/api/v1/prompts/support-reply?version=abc"), 400, "version"],
      [get("/api/v1/prompts/support-reply?label=canary"), 404, "label"],
      [get("/api/v1/prompts?folder=a/../b"), 400, "folder"],
      [get("/api/v1/prompts?cursor=garbage"), 400, "cursor"],
      [get("/api/v1/prompts?limit=1000"), 400, "limit"],
      [post("/api/v1/prompts/support-reply/render", "{not json", true), 400, ""],
      [post("/api/v1/prompts/support-reply/render", { target: "pdf" }), 400, "target"],
      [
        post("/api/v1/prompts/support-reply/render", { variables: { question: { nested: { deep: true } } } }),
        400,
        "variables",
      ],
      [
        post("/api/v1/prompts/support-reply/render", { label: "production", variables: { product: "W" } }),
        422,
        "variables",
      ],
      [post("/api/v1/prompts/support-reply/render", { unknown: 1 }), 400, ""],
      [get("/api/v1/prompts/support-reply/render"), 405, ""],
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

  it.skipIf(skip)("serves a read with a strong ETag, 304 while unchanged, a new ETag once a label moves", async () => {
    const url = "/api/v1/prompts/support-reply?label=production";
    const first = await get(url);
    expect(first.status).toBe(200);
    const etag = first.headers.get("etag")!;
    expect(etag).toMatch(/^"[^"]+"$/); // strong: no W/
    expect(first.headers.get("cache-control")).toBe("no-cache, no-transform");
    const body = await first.text();
    // The same bytes every time, compressed or not (no-transform keeps compression off).
    const again = await fetch(`${server.baseUrl}${url}`, { headers: { "accept-encoding": "gzip, br" } });
    expect(again.headers.get("etag")).toBe(etag);
    expect(again.headers.get("content-encoding")).toBeNull();
    expect(await again.text()).toBe(body);

    const cached = await fetch(`${server.baseUrl}${url}`, { headers: { "if-none-match": `"other", ${etag}` } });
    expect(cached.status).toBe(304);
    expect(cached.headers.get("etag")).toBe(etag);
    expect(await cached.text()).toBe("");
    expect((await fetch(`${server.baseUrl}${url}`, { headers: { "if-none-match": '"other"' } })).status).toBe(200);

    // The head and the version's own ETag differ; moving the label changes what it serves.
    const head = await get("/api/v1/prompts/support-reply");
    expect(head.headers.get("etag")).not.toBe(etag);
    const { db } = createDb(server.databaseUrl);
    try {
      const prompt = await db.prompt.findUniqueOrThrow({ where: { slug: "support-reply" } });
      await moveLabel(db, { promptId: prompt.id, name: "production", version: 2, actor: null, authEnabled: false });
      const moved = await fetch(`${server.baseUrl}${url}`, { headers: { "if-none-match": etag } });
      expect(moved.status).toBe(200);
      expect(((await moved.json()) as { version: { number: number } }).version.number).toBe(2);
      expect(moved.headers.get("etag")).not.toBe(etag);
      // Another label on the prompt changes the labels it lists, so the body and its ETag too.
      const before = (await get(url)).headers.get("etag");
      await moveLabel(db, { promptId: prompt.id, name: "staging", version: 1, actor: null, authEnabled: false });
      const after = await get(url);
      expect(after.headers.get("etag")).not.toBe(before);
      expect(((await after.json()) as { labels: Record<string, number> }).labels).toEqual({
        production: 2,
        staging: 1,
      });
      await moveLabel(db, { promptId: prompt.id, name: "production", version: 1, actor: null, authEnabled: false });
    } finally {
      await db.$disconnect();
    }
    expect((await fetch(`${server.baseUrl}${url}`, { headers: { "if-none-match": etag } })).status).toBe(200);
  });

  it.skipIf(skip)("refuses render values for variables the version does not have, unless strict is false", async () => {
    const values = { question: "Hi?", qestion: "typo" };
    const strict = await post("/api/v1/prompts/support-reply/render", { variables: values });
    expect(strict.status).toBe(422);
    const problem = (await strict.json()) as { issues: Array<{ path: unknown[] }> };
    expect(problem.issues.map((i) => i.path)).toEqual([["variables", "qestion"]]);
    const loose = await post("/api/v1/prompts/support-reply/render", { variables: values, strict: false });
    expect(loose.status).toBe(200);
    expect(((await loose.json()) as { text: string }).text).toBe("v2 answers Hi?");
    // Repeated renders (served from the result cache) give the same answer.
    const repeat = await post("/api/v1/prompts/support-reply/render", { variables: values, strict: false });
    expect(((await repeat.json()) as { text: string }).text).toBe("v2 answers Hi?");
  });

  it.skipIf(skip)(
    "renders a version with the snippet it pinned, after the snippet changes (decision 090)",
    async () => {
      const body = { label: "production", variables: { product: "W", question: "Q" } };
      const before = (await (await post("/api/v1/prompts/support-reply/render", body)).json()) as { text: string };
      expect(before.text).toContain("— The Acme team");
      const { db } = createDb(server.databaseUrl);
      try {
        await saveSnippet(db, {
          name: "sign",
          baseVersion: 1,
          input: { name: "sign", template: "Cheers, {{team}}", description: "" },
        });
      } finally {
        await db.$disconnect();
      }
      const after = (await (await post("/api/v1/prompts/support-reply/render", body)).json()) as { text: string };
      expect(after.text).toBe(before.text);
      // New values (not a cached result): still the pinned snippet.
      const fresh = { label: "production", variables: { product: "Z", question: "Q2" } };
      const other = (await (await post("/api/v1/prompts/support-reply/render", fresh)).json()) as { text: string };
      expect(other.text).toContain("— The Acme team");
      expect(other.text).not.toContain("Cheers");
    },
  );

  it.skipIf(skip)("serves snippets", async () => {
    const list = (await (await get("/api/v1/snippets")).json()) as { items: Array<{ name: string; url: string }> };
    expect(list.items.map((s) => [s.name, s.url])).toEqual([["sign", "/api/v1/snippets/sign"]]);
    const one = (await (await get("/api/v1/snippets/sign?version=1")).json()) as {
      version: { number: number; template: string };
    };
    expect(one.version).toMatchObject({ number: 1, template: "— The {{team}} team" });
  });

  it.skipIf(skip)("answers any other /api path with JSON, and the old paths with 308 to /api/v1", async () => {
    for (const [method, path] of [
      ["GET", "/api/nope"],
      ["POST", "/api/v1/nope"],
      ["GET", "/api/v1/prompts/support-reply/render/extra"],
      ["DELETE", "/api/v2/prompts"],
    ] as const) {
      const res = await fetch(`${server.baseUrl}${path}`, { method });
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(res.headers.get("content-type")).toBe("application/problem+json");
      expect(((await res.json()) as { status: number }).status).toBe(404);
    }
    for (const [method, path, allow] of [
      // Read and written (docs/decisions/125): the 405 names every method they take.
      ["PUT", "/api/v1/prompts", "GET, HEAD, POST"],
      ["PUT", "/api/v1/prompts/support-reply", "GET, HEAD, DELETE"],
      ["PUT", "/api/v1/prompts/support-reply/render", "POST"],
      ["POST", "/api/health", "GET, HEAD"],
    ] as const) {
      const res = await fetch(`${server.baseUrl}${path}`, { method });
      expect(res.status, `${method} ${path}`).toBe(405);
      expect(res.headers.get("allow"), path).toBe(allow);
      expect(res.headers.get("content-type")).toBe("application/problem+json");
    }
    const moved = await fetch(`${server.baseUrl}/api/prompts/support-reply?label=production`, { redirect: "manual" });
    expect(moved.status).toBe(308);
    expect(moved.headers.get("location")).toBe("/api/v1/prompts/support-reply?label=production");
    expect(moved.headers.get("deprecation")).toBe("true");
    expect((await fetch(`${server.baseUrl}/api/openapi.json`, { redirect: "manual" })).headers.get("location")).toBe(
      "/api/v1/openapi.json",
    );
    // 308 keeps the method and body: a client that follows it renders as before.
    const followed = await post("/api/prompts/support-reply/render", { variables: { question: "Hi?" } });
    expect(followed.status).toBe(200);
    expect(((await followed.json()) as { text: string }).text).toBe("v2 answers Hi?");
  });

  it.skipIf(skip)("answers a damaged database row with a 500 and logs which row it is", async () => {
    const res = await get("/api/v1/prompts/damaged");
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
