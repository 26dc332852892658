/**
 * The write API with accounts on, against the production build on SQLite and PostgreSQL: who may
 * write (401 without a token, 403 for a token without the write scope, a viewer's, a label outside a
 * token's labels, a protected label moved by a token), every write's 401 and 403 against the
 * OpenAPI document, the 409 with both versions, and Idempotency-Key: a retry replays, another body is
 * a 422, and concurrent requests with one key write one version.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "~/server/db.server";
import { createApiToken } from "~/models/api-tokens.server";
import { setLabelProtection } from "~/models/labels.server";
import { DATABASE_KINDS } from "../support/databases";
import { openApiSchemas } from "../support/openapi-schemas";
import { startServer, type RunningServer } from "../support/server";

const SECRET = "s".repeat(40);
type Problem = { status: number; error: string; issues: Array<{ path: Array<string | number>; message: string }> };
type Doc = Parameters<typeof openApiSchemas>[0] & {
  paths: Record<
    string,
    Record<string, { responses: Record<string, { content?: Record<string, { schema: object }> }> }>
  >;
};

const task = (template: string) => ({ kind: "task", title: "Task", template });

describe.each(DATABASE_KINDS)("write API with accounts — $label", ({ kind, skip }) => {
  let server: RunningServer;
  let db: Db;
  let doc: Doc;
  let validate: ReturnType<typeof openApiSchemas>["validate"];
  const t = { editorWrite: "", editorRead: "", viewerRead: "", adminWrite: "", stagingOnly: "", otherEditor: "" };

  beforeAll(async () => {
    if (skip) return;
    server = await startServer({ database: kind, seed: false, env: { ENABLE_AUTH: "true", SESSION_SECRET: SECRET } });
    db = createDb(server.databaseUrl).db;
    const user = (email: string, role: string) => db.user.create({ data: { email, name: email, role } });
    const [admin, editor, viewer, other] = await Promise.all([
      user("admin@example.test", "admin"),
      user("editor@example.test", "editor"),
      user("viewer@example.test", "viewer"),
      user("other@example.test", "editor"),
    ]);
    const ctx = { id: null, role: "admin" as const, address: "127.0.0.1" };
    const token = async (owner: { id: string; role: string }, scopes: string[], labels = "") =>
      (await createApiToken(db, owner as { id: string; role: "admin" }, { name: "t", scopes, labels }, ctx)).token;
    t.editorWrite = await token(editor, ["read", "render", "write"]);
    t.editorRead = await token(editor, ["read", "render"]);
    t.viewerRead = await token(viewer, ["read"]);
    t.adminWrite = await token(admin, ["read", "write"]);
    t.stagingOnly = await token(editor, ["write"], "staging");
    t.otherEditor = await token(other, ["write"]);
    doc = (await (
      await fetch(`${server.baseUrl}/api/v1/openapi.json`, { headers: bearer(t.editorRead) })
    ).json()) as Doc;
    ({ validate } = openApiSchemas(doc));
  }, 120_000);
  afterAll(async () => {
    await db?.$disconnect();
    await server?.stop();
  });

  const bearer = (token: string): Record<string, string> => (token ? { Authorization: `Bearer ${token}` } : {});
  const send = (method: string, path: string, token: string, body?: unknown, headers: Record<string, string> = {}) =>
    fetch(`${server.baseUrl}${path}`, {
      method,
      headers: {
        ...bearer(token),
        ...(body === undefined ? {} : { "Content-Type": "application/json" }),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const post = (path: string, token: string, body?: unknown, headers?: Record<string, string>) =>
    send("POST", path, token, body, headers);

  /** The answer fits the document's schema for its status (a problem: its Problem schema). */
  function fits(body: unknown, path: string, method: string, status: number) {
    const media = doc.paths[path]?.[method]?.responses[String(status)]?.content;
    const schema = media?.[status >= 400 ? "application/problem+json" : "application/json"]?.schema;
    expect(schema, `${method} ${path} ${status} documented`).toBeDefined();
    expect(validate(body, schema!), `${method} ${path} ${status}`).toEqual([]);
  }

  async function createPrompt(name: string, token = t.editorWrite) {
    const res = await post("/api/v1/prompts", token, { name, sections: [task(`Hello from ${name}`)] });
    expect(res.status, await res.clone().text()).toBe(201);
    return (await res.json()) as { slug: string; version: { number: number } };
  }

  it.skipIf(skip)("every write answers 401 without credentials and 403 to a token without write", async () => {
    const { slug } = await createPrompt("Guarded");
    await post("/api/v1/snippets", t.editorWrite, { name: "guard", template: "x" });
    const writes: Array<[string, string, string, unknown]> = [
      ["post", "/api/v1/prompts", "/api/v1/prompts", { name: "Nope" }],
      ["delete", "/api/v1/prompts/{slug}", `/api/v1/prompts/${slug}`, undefined],
      ["post", "/api/v1/prompts/{slug}/versions", `/api/v1/prompts/${slug}/versions`, { baseVersion: 1 }],
      ["post", "/api/v1/prompts/{slug}/labels/{name}", `/api/v1/prompts/${slug}/labels/staging`, { version: 1 }],
      ["put", "/api/v1/prompts/{slug}/labels/{name}", `/api/v1/prompts/${slug}/labels/staging`, { version: 1 }],
      ["post", "/api/v1/prompts/{slug}/restore", `/api/v1/prompts/${slug}/restore`, undefined],
      ["post", "/api/v1/snippets", "/api/v1/snippets", { name: "n", template: "x" }],
      ["delete", "/api/v1/snippets/{name}", "/api/v1/snippets/guard", undefined],
      [
        "post",
        "/api/v1/snippets/{name}/versions",
        "/api/v1/snippets/guard/versions",
        { baseVersion: 1, template: "y" },
      ],
      ["post", "/api/v1/snippets/{name}/restore", "/api/v1/snippets/guard/restore", undefined],
    ];
    const before = await db.promptVersion.count();
    for (const [method, docPath, url, body] of writes) {
      for (const [token, status] of [
        ["", 401],
        ["pb_not_a_real_token_at_all_000000", 401],
        [t.editorRead, 403],
        [t.viewerRead, 403],
      ] as const) {
        const res = await send(method.toUpperCase(), url, token, body);
        const problem = (await res.json()) as Problem;
        expect(res.status, `${method} ${url} with ${token.slice(0, 8) || "nothing"}`).toBe(status);
        expect(res.headers.get("content-type")).toContain("application/problem+json");
        fits(problem, docPath, method, status);
      }
    }
    expect(await db.promptVersion.count()).toBe(before);
    expect(await db.prompt.count({ where: { slug, deletedAt: null } })).toBe(1);
  });

  it.skipIf(skip)("a token writes as its owner: author, owner, and private prompts stay hidden", async () => {
    const created = await createPrompt("Mine");
    const row = await db.prompt.findUniqueOrThrow({ where: { slug: created.slug }, include: { owner: true } });
    expect(row.owner?.email).toBe("editor@example.test");
    await db.prompt.update({ where: { id: row.id }, data: { visibility: "private" } });
    // Another editor's token cannot see it, so cannot version it: 404 as for a prompt that is not there.
    const res = await post(`/api/v1/prompts/${created.slug}/versions`, t.otherEditor, {
      baseVersion: 1,
      sections: [task("taken over")],
    });
    expect(res.status).toBe(404);
    const v2 = await post(`/api/v1/prompts/${created.slug}/versions`, t.editorWrite, {
      baseVersion: 1,
      sections: [task("mine, v2")],
      message: "second",
    });
    expect(v2.status).toBe(201);
    const version = await db.promptVersion.findFirstOrThrow({
      where: { promptId: row.id, number: 2 },
      include: { author: true },
    });
    expect(version.author?.email).toBe("editor@example.test");
    expect(version.message).toBe("second");
  });

  it.skipIf(skip)(
    "labels: a token limited to labels moves only those; a protected label never by a token (a change request instead)",
    async () => {
      const { slug } = await createPrompt("Labelled");
      const prod = await post(`/api/v1/prompts/${slug}/labels/production`, t.stagingOnly, { version: 1 });
      expect(prod.status).toBe(403);
      fits(await prod.json(), "/api/v1/prompts/{slug}/labels/{name}", "post", 403);
      const staging = await post(`/api/v1/prompts/${slug}/labels/staging`, t.stagingOnly, { version: 1 });
      expect(staging.status).toBe(200);
      expect(await staging.json()).toEqual({ slug, label: "staging", version: 1, previousVersion: null, moved: true });

      const prompt = await db.prompt.findUniqueOrThrow({ where: { slug } });
      await post(`/api/v1/prompts/${slug}/labels/production`, t.adminWrite, { version: 1 });
      await setLabelProtection(db, {
        promptId: prompt.id,
        name: "production",
        protected: true,
        actor: { id: null, role: "admin" },
        authEnabled: true,
      });
      await post(`/api/v1/prompts/${slug}/versions`, t.editorWrite, { baseVersion: 1, sections: [task("v2")] });
      // No token moves a protected label, not even an admin's: the move becomes a change request
      // (202) that a person approves in the browser (decision 105); a second identical one is a 409.
      const proposed = await post(`/api/v1/prompts/${slug}/labels/production`, t.editorWrite, { version: 2 });
      expect(proposed.status).toBe(202);
      const body = (await proposed.json()) as { changeRequest: { status: string; to: number; url: string } };
      expect(body.changeRequest).toMatchObject({ status: "open", to: 2 });
      expect(proposed.headers.get("location")).toBe(body.changeRequest.url);
      fits(body, "/api/v1/prompts/{slug}/labels/{name}", "post", 202);
      const again = await post(`/api/v1/prompts/${slug}/labels/production`, t.adminWrite, { version: 2 });
      expect(again.status).toBe(409);
      fits((await again.json()) as Problem, "/api/v1/prompts/{slug}/labels/{name}", "post", 409);
      const label = await db.label.findUniqueOrThrow({
        where: { promptId_name: { promptId: prompt.id, name: "production" } },
        include: { version: true },
      });
      expect(label.version.number).toBe(1);
    },
  );

  it.skipIf(skip)("a stale baseVersion is a 409 with both versions, and nothing is saved", async () => {
    const { slug } = await createPrompt("Raced");
    const first = await post(`/api/v1/prompts/${slug}/versions`, t.editorWrite, {
      baseVersion: 1,
      sections: [task("theirs")],
    });
    expect(first.status).toBe(201);
    const late = await post(`/api/v1/prompts/${slug}/versions`, t.editorWrite, {
      baseVersion: 1,
      sections: [task("mine")],
    });
    expect(late.status).toBe(409);
    const body = (await late.json()) as Problem & {
      conflict: { baseVersion: number; headVersion: number };
      versions: { base: { number: number; sections: Array<{ template: string }> }; head: typeof body.versions.base };
    };
    fits(body, "/api/v1/prompts/{slug}/versions", "post", 409);
    expect(body.conflict).toMatchObject({ about: "prompt", baseVersion: 1, headVersion: 2 });
    expect(body.versions.base.number).toBe(1);
    expect(body.versions.base.sections[0]!.template).toBe("Hello from Raced");
    expect(body.versions.head.number).toBe(2);
    expect(body.versions.head.sections[0]!.template).toBe("theirs");
    const p = await db.prompt.findUniqueOrThrow({ where: { slug } });
    expect(p.headVersion).toBe(2);
  });

  it.skipIf(skip)(
    "Idempotency-Key: a retry replays the answer; another body is a 422; keys are per caller",
    async () => {
      const key = { "Idempotency-Key": `retry-${kind}` };
      const body = { name: "Once only", sections: [task("once")] };
      const first = await post("/api/v1/prompts", t.editorWrite, body, key);
      expect(first.status).toBe(201);
      const firstBody = await first.text();
      const again = await post("/api/v1/prompts", t.editorWrite, body, key);
      expect(again.status).toBe(201);
      expect(again.headers.get("idempotent-replayed")).toBe("true");
      expect(await again.text()).toBe(firstBody);
      expect(await db.prompt.count({ where: { name: "Once only" } })).toBe(1);

      const other = await post("/api/v1/prompts", t.editorWrite, { ...body, name: "Twice" }, key);
      expect(other.status).toBe(422);
      const problem = (await other.json()) as Problem;
      expect(problem.issues[0]!.path).toEqual(["Idempotency-Key"]);
      fits(problem, "/api/v1/prompts", "post", 422);

      // The same key from another caller is that caller's own key: a new request, a 409 for the taken name.
      const otherCaller = await post("/api/v1/prompts", t.adminWrite, body, key);
      expect(otherCaller.status).toBe(409);
      expect(otherCaller.headers.get("idempotent-replayed")).toBeNull();

      const bad = await post("/api/v1/prompts", t.editorWrite, body, { "Idempotency-Key": "x".repeat(256) });
      expect(bad.status).toBe(400);
    },
  );

  it.skipIf(skip)(
    "concurrent requests with one key add one version; the others replay it or are told to wait",
    async () => {
      const { slug } = await createPrompt("Concurrent");
      const key = { "Idempotency-Key": `burst-${kind}` };
      const body = { baseVersion: 1, sections: [task("raced once")], message: "burst" };
      const answers = await Promise.all(
        Array.from({ length: 8 }, () => post(`/api/v1/prompts/${slug}/versions`, t.editorWrite, body, key)),
      );
      const statuses = answers.map((r) => r.status);
      for (const r of answers) await r.arrayBuffer();
      // One ran; each other one either replayed its 201 or got the 409 "still running" (Retry-After).
      expect(statuses.filter((s) => s === 201).length).toBeGreaterThanOrEqual(1);
      expect(
        statuses.every((s) => s === 201 || s === 409),
        statuses.join(","),
      ).toBe(true);
      for (const r of answers.filter((a) => a.status === 409)) expect(r.headers.get("retry-after")).toBe("1");
      const prompt = await db.prompt.findUniqueOrThrow({ where: { slug } });
      expect(prompt.headVersion).toBe(2);
      expect(await db.promptVersion.count({ where: { promptId: prompt.id } })).toBe(2);
      // After the first finished, a retry replays its answer.
      const retry = await post(`/api/v1/prompts/${slug}/versions`, t.editorWrite, body, key);
      expect(retry.status).toBe(201);
      expect(retry.headers.get("idempotent-replayed")).toBe("true");

      // Without a key, the same burst writes one version and refuses the rest as conflicts: nothing twice.
      const plain = await Promise.all(
        Array.from({ length: 6 }, (_, i) =>
          post(`/api/v1/prompts/${slug}/versions`, t.editorWrite, { baseVersion: 2, sections: [task(`n${i}`)] }),
        ),
      );
      const plainStatuses = plain.map((r) => r.status).sort();
      for (const r of plain) await r.arrayBuffer();
      expect(plainStatuses.filter((s) => s === 201)).toHaveLength(1);
      expect(plainStatuses.filter((s) => s === 409)).toHaveLength(5);
    },
  );

  it.skipIf(skip)("a .prompt export posted back as a new prompt exports the same file", async () => {
    const source = await post("/api/v1/prompts", t.editorWrite, {
      name: "Exported",
      description: "Round trip",
      sections: [
        { kind: "system", title: "Role", template: "You help with {{topic}}." },
        { kind: "examples", title: "Examples", template: "Like this.", examples: [{ input: "a", output: "b" }] },
        { kind: "task", title: "Task", template: "Explain {{topic}} in {{count}} points." },
      ],
      variables: [
        { name: "topic", type: "enum", enumValues: ["tax", "law"], description: "Subject" },
        { name: "count", type: "number", required: false, default: 3 },
      ],
      modelSettings: { model: "claude-haiku-4-5", temperature: 0.2, stop: [] },
    });
    expect(source.status).toBe(201);
    const exportOf = async (slug: string) => {
      const res = await post(`/api/v1/prompts/${slug}/render`, t.editorWrite, {
        target: "dotprompt",
        variables: { topic: "tax" },
      });
      expect(res.status).toBe(200);
      return ((await res.json()) as { text: string }).text;
    };
    const file = await exportOf("exported");
    const imported = await fetch(`${server.baseUrl}/api/v1/prompts?name=Imported`, {
      method: "POST",
      headers: { ...bearer(t.editorWrite), "Content-Type": "text/x-dotprompt" },
      body: file,
    });
    expect(imported.status, await imported.clone().text()).toBe(201);
    const body = (await imported.json()) as { slug: string; description: string; version: { sections: unknown[] } };
    // The render target writes no description (the prompt's, not the version's); the import reads what is there.
    expect(body.description).toBe("");
    expect(body.version.sections).toHaveLength(3);
    expect(await exportOf(body.slug)).toBe(file);
  });
});
