/**
 * Issue 12: the admin panel's instance facts with real numbers, on SQLite and PostgreSQL — prompts,
 * versions, renders per day by API and MCP (counted in memory, saved to RenderDay at shutdown),
 * database mode and size, the last backup and its age, the app version.
 */
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrompt, saveVersion } from "~/models/prompt-store.server";
import { createDb, type Db } from "~/server/db.server";
import pkg from "../../package.json";
import { DATABASE_KINDS } from "../support/databases";
import { startServer, stopProcess, type RunningServer } from "../support/server";

const draft = (text: string) => ({
  sections: [{ kind: "task" as const, title: "Task", template: text, enabled: true, examples: [] }],
  variables: [],
  modelSettings: { model: "gpt-4o", stop: [] },
});
const text = (html: string) =>
  html
    .replace(/<!-- -->/g, "")
    .replace(/<[^>]+>/g, " ")
    .replace(/\s+/g, " ");

describe.each(DATABASE_KINDS)("admin instance facts — $label", ({ kind, skip }) => {
  let server: RunningServer;
  let db: Db;
  let cookie = "";
  let token = "";

  beforeAll(async () => {
    if (skip) return;
    server = await startServer({
      database: kind,
      seed: false,
      env: { ENABLE_AUTH: "true", SESSION_SECRET: "f".repeat(40) },
    });
    db = createDb(server.databaseUrl).db;
    const signup = await fetch(`${server.baseUrl}/signup`, {
      method: "POST",
      redirect: "manual",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ name: "A", email: "a@example.test", password: "correct horse admin battery" }),
    });
    cookie = signup.headers.getSetCookie()[0]!.split(";")[0]!;
    const body = new URLSearchParams({ intent: "token", name: "renders" });
    body.append("scopes", "read");
    body.append("scopes", "render");
    const made = await fetch(`${server.baseUrl}/settings`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Cookie: cookie },
      body,
    });
    token = /(pb_[A-Za-z0-9_-]{20,})/.exec(await made.text())![1]!;
    for (const slug of ["one", "two", "three"]) {
      await createPrompt(db, { meta: { name: slug, description: "", tags: [], folder: "" }, slug, draft: draft(slug) });
    }
    const one = await db.prompt.findUniqueOrThrow({ where: { slug: "one" } });
    await saveVersion(db, { promptId: one.id, baseVersion: 1, draft: draft("one, again") });
    await db.prompt.update({ where: { slug: "three" }, data: { deletedAt: new Date() } });
    await db.backupRun.create({
      data: {
        startedAt: new Date(Date.now() - 5 * 3_600_000 - 60_000),
        finishedAt: new Date(Date.now() - 5 * 3_600_000),
        ok: true,
        kind,
        bytes: BigInt(3 * 1024 * 1024),
        location: "backup-x",
      },
    });
  }, 120_000);
  afterAll(async () => {
    await db?.$disconnect();
    await server?.stop();
  });

  it.skipIf(skip)("shows the counts, renders per day, database, backup and version", async () => {
    for (let i = 0; i < 3; i++) {
      const res = await fetch(`${server.baseUrl}/api/v1/prompts/one/render`, {
        method: "POST",
        headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}` },
        body: JSON.stringify({ variables: {} }),
      });
      expect(res.status).toBe(200);
    }
    // A failed render is not counted.
    const missing = await fetch(`${server.baseUrl}/api/v1/prompts/nope/render`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}` },
      body: JSON.stringify({ variables: {} }),
    });
    expect(missing.status).toBe(404);
    const client = new Client({ name: "facts-test", version: "1.0.0" });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`${server.baseUrl}/mcp`), {
        requestInit: { headers: { Authorization: `Bearer ${token}` } },
      }),
    );
    await client.getPrompt({ name: "two", arguments: {} });
    await client.callTool({ name: "render_prompt", arguments: { slug: "one", target: "plain" } });
    await client.close();

    const page = text(await (await fetch(`${server.baseUrl}/admin`, { headers: { Cookie: cookie } })).text());
    expect(page).toContain(`Version ${pkg.version}`);
    expect(page).toContain("Prompts 2 (+1 in the trash)");
    expect(page).toContain("Versions 4");
    expect(page).toContain("Users 1");
    expect(page).toContain("Renders today 5 (API 3, MCP 2; 5 in 14 days)");
    const today = new Date().toISOString().slice(0, 10);
    expect(page).toContain(`${today} 3 2`);
    expect(page).toMatch(kind === "sqlite" ? /Database SQLite, \d+(\.\d)? (KB|MB)/ : /Database PostgreSQL, \d+\.\d MB/);
    expect(page).toMatch(/Last backup \d{4}-\d\d-\d\d \d\d:\d\d UTC, 5 h ago · 3\.0 MB/);

    // Shutdown saves the counts; the table holds them.
    await stopProcess(server.child);
    expect(
      await db.renderDay.findMany({ orderBy: { source: "asc" }, select: { day: true, source: true, count: true } }),
    ).toEqual([
      { day: today, source: "api", count: 3 },
      { day: today, source: "mcp", count: 2 },
    ]);
  });
});
