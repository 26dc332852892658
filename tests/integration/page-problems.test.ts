/**
 * Pages answer problems through the one mapper, on SQLite and PostgreSQL, as a browser without
 * JavaScript sees them (a form POST, an HTML page back): an unknown `intent` gets the same 400
 * on every page that has intents, and a snippet's save conflict names the snippet.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb } from "~/server/db.server";
import { stashConflict } from "~/models/conflict.server";
import { createPrompt } from "~/models/prompt-store.server";
import { createSnippet, saveSnippet } from "~/models/snippets.server";
import { unknownIntent } from "~/server/http/problem.server";
import { DATABASE_KINDS } from "../support/databases";
import { startServer, type RunningServer } from "../support/server";

const draft = (template: string) => ({
  sections: [{ kind: "task" as const, title: "Task", template, enabled: true, examples: [] }],
  variables: [],
  modelSettings: { model: "gpt-4o", stop: [] },
});

describe.each(DATABASE_KINDS)("page problems — $label", ({ kind, skip }) => {
  let server: RunningServer;
  let conflictPath = "";
  beforeAll(async () => {
    if (skip) return;
    server = await startServer({ database: kind, seed: false });
    const { db } = createDb(server.databaseUrl);
    const { prompt } = await createPrompt(db, {
      meta: { name: "Greeter", description: "", tags: ["x"], folder: "" },
      draft: draft("Hi"),
    });
    const id = await stashConflict(db, { promptId: prompt.id, baseVersion: 1, headVersion: 1, draft: draft("Hello") });
    conflictPath = `/prompts/${prompt.slug}/conflict/${id}`;
    await createSnippet(db, { name: "tone", template: "Be warm." });
    await saveSnippet(db, { name: "tone", baseVersion: 1, input: { name: "tone", template: "Be warm and brief." } });
    await db.$disconnect();
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
  });

  const post = (path: string, fields: Record<string, string>) =>
    fetch(`${server.baseUrl}${path}`, { method: "POST", body: new URLSearchParams(fields), redirect: "manual" });

  it.skipIf(skip)("answers a body that is not a form with 415 on every form action, never a 500", async () => {
    const pages = [
      "/?index",
      "/prompts/new",
      "/prompts/greeter",
      "/prompts/greeter/edit",
      "/prompts/greeter/history",
      "/prompts/greeter/conflict",
      () => conflictPath,
      "/snippets",
      "/snippets/tone",
      "/snippets/tone/update",
      "/tags",
      "/trash",
      "/resources/theme",
    ];
    const bodies: Array<{ headers: Record<string, string>; body: string }> = [
      { headers: { "content-type": "text/plain" }, body: "intent=bogus" },
      { headers: { "content-type": "application/json" }, body: '{"intent":"bogus"}' },
      { headers: {}, body: "" },
    ];
    for (const page of pages) {
      const path = typeof page === "function" ? page() : page;
      for (const { headers, body } of bodies) {
        const res = await fetch(`${server.baseUrl}${path}`, { method: "POST", headers, body, redirect: "manual" });
        await res.arrayBuffer();
        expect(res.status, `${path} ${JSON.stringify(headers)}`).toBe(415);
      }
    }
    // A multipart body that does not parse is the client's mistake too.
    const broken = await fetch(`${server.baseUrl}/trash`, {
      method: "POST",
      headers: { "content-type": "multipart/form-data; boundary=x" },
      body: "--x\r\nnot a part",
      redirect: "manual",
    });
    expect(broken.status).toBe(400);
  });

  it.skipIf(skip)("answers an unknown intent with the same 400 problem on every page", async () => {
    const pages = ["/?index", "/prompts/greeter", () => conflictPath, "/trash", "/tags", "/snippets/tone"];
    const message = unknownIntent().message;
    for (const page of pages) {
      const path = typeof page === "function" ? page() : page;
      const bodies: Array<Record<string, string>> = [{ intent: "bogus" }, {}];
      for (const fields of bodies) {
        const res = await post(path, fields);
        const html = await res.text();
        expect(res.status, `${path} ${JSON.stringify(fields)}`).toBe(400);
        // Shown on the page, next to the form (and the same problem in the page's data).
        expect(html, path).toContain(message);
      }
    }
  });

  it.skipIf(skip)("answers a version field a client garbled with a 400, never a 500", async () => {
    const cases: Array<[string, Record<string, string>, string]> = [
      ["/snippets/tone", { intent: "save", baseVersion: "abc", template: "x" }, "baseVersion"],
      ["/prompts/greeter/history", { version: "1", baseVersion: "" }, "baseVersion"],
      ["/prompts/greeter/history", { version: "x", baseVersion: "1" }, "version"],
    ];
    for (const [path, fields, field] of cases) {
      const res = await post(path, fields);
      expect(res.status, `${path} ${JSON.stringify(fields)}`).toBe(400);
      expect(await res.text(), path).toContain(
        field === "version" ? "which version it is about" : "which version it started from",
      );
    }
    const overwrite = await post(conflictPath, { intent: "overwrite", confirm: "yes", headVersion: "NaN" });
    expect(overwrite.status).toBe(400);
  });

  it.skipIf(skip)("says a snippet — not a prompt — was saved in between when a snippet save conflicts", async () => {
    const res = await post("/snippets/tone", {
      intent: "save",
      baseVersion: "1",
      template: "Be cold.",
      description: "",
      message: "",
    });
    expect(res.status).toBe(409);
    const html = await res.text();
    expect(html).toContain("This snippet was saved as version 2 after you started editing version 1.");
    expect(html).not.toContain("This prompt was saved");
  });
});
