/**
 * Input a client can send never gets a 5xx (issue 11, fault 6), on SQLite and PostgreSQL, one
 * regression test per finding: integers beyond int4 in query strings, forms and JSON bodies; NUL
 * bytes in URLs, forms and JSON; garbage cursors; redirect targets that are not same-origin paths
 * (refused before anything is written); cross-site form posts (403 problem+json, not Remix's 500).
 */
import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "~/server/db.server";
import { createPrompt } from "~/models/prompt-store.server";
import { createSnippet } from "~/models/snippets.server";
import { stashConflict } from "~/models/conflict.server";
import { DATABASE_KINDS } from "../support/databases";
import { startServer, type RunningServer } from "../support/server";

/** The API's base path in one place (it is moving under /api/v1). */
const api = (path: string) => `/api/v1${path}`;

const draft = (template: string) => ({
  sections: [{ kind: "task" as const, title: "Task", template, enabled: true, examples: [] }],
  variables: [],
  modelSettings: { model: "gpt-4o", stop: [] },
});

type ProblemBody = { status: number; error: string; issues: Array<{ path: Array<string | number>; message: string }> };

describe.each(DATABASE_KINDS)("input at the boundary — $label", ({ kind, skip }) => {
  let server: RunningServer;
  let db: Db;
  let promptId = "";
  let conflictPath = "";
  const slug = "greeter";

  beforeAll(async () => {
    if (skip) return;
    server = await startServer({ database: kind, seed: false });
    db = createDb(server.databaseUrl).db;
    const { prompt } = await createPrompt(db, {
      meta: { name: "Greeter", description: "", tags: ["x"], folder: "" },
      draft: draft("Hi"),
    });
    promptId = prompt.id;
    const id = await stashConflict(db, { promptId, baseVersion: 1, headVersion: 1, draft: draft("Hello") });
    conflictPath = `/prompts/${slug}/conflict/${id}`;
    await createSnippet(db, { name: "tone", template: "Be warm." });
  }, 120_000);
  afterAll(async () => {
    await db?.$disconnect();
    await server?.stop();
  });

  const url = (path: string) => `${server.baseUrl}${path}`;
  const post = (path: string, fields: Record<string, string>, headers: Record<string, string> = {}) =>
    fetch(url(path), { method: "POST", body: new URLSearchParams(fields), headers, redirect: "manual" });
  const postJson = (path: string, body: string, headers: Record<string, string> = {}) =>
    fetch(url(path), { method: "POST", body, headers: { "content-type": "application/json", ...headers } });
  const problem = async (res: Response, status: number): Promise<ProblemBody> => {
    const text = await res.text();
    expect(res.status, text.slice(0, 300)).toBe(status);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    return JSON.parse(text) as ProblemBody;
  };
  const versionCount = () => db.promptVersion.count({ where: { promptId } });

  describe("integers beyond range", () => {
    const HUGE = ["99999999999999999999", "2147483648"];

    it.skipIf(skip)("?version= in the API → 400 naming version; the largest int4 is a plain 404", async () => {
      for (const v of HUGE) {
        const body = await problem(await fetch(url(api(`/prompts/${slug}?version=${v}`))), 400);
        expect(body.issues.map((i) => i.path)).toEqual([["version"]]);
      }
      const missing = await problem(await fetch(url(api(`/prompts/${slug}?version=2147483647`))), 404);
      expect(missing.issues[0]!.path).toEqual(["version"]);
    });

    it.skipIf(skip)('{"version":…} in the render body → 400 naming version', async () => {
      for (const v of HUGE) {
        const body = await problem(await postJson(api(`/prompts/${slug}/render`), `{"version":${v}}`), 400);
        expect(body.issues.length).toBeGreaterThan(0);
        for (const issue of body.issues) expect(issue.path).toEqual(["version"]);
      }
    });

    it.skipIf(skip)("page params and cursors → 400 naming the parameter", async () => {
      for (const v of HUGE) {
        const res = await fetch(url(`/prompts/${slug}/history?before=${v}`));
        expect(res.status).toBe(400);
        await res.arrayBuffer();
        const limit = await problem(await fetch(url(api(`/prompts?limit=${v}`))), 400);
        expect(limit.issues[0]!.path).toEqual(["limit"]);
      }
      const compare = await fetch(url(`/prompts/${slug}/compare?a=99999999999999999999&b=1`));
      expect(compare.status).toBeLessThan(500);
      expect(compare.status).toBeGreaterThanOrEqual(400);
      await compare.arrayBuffer();
    });

    it.skipIf(skip)(
      "version fields of the restore, label, snippet and conflict forms → 400, nothing written",
      async () => {
        const before = await versionCount();
        for (const v of HUGE) {
          const cases: Array<[string, Record<string, string>, string]> = [
            [`/prompts/${slug}/history`, { version: v, baseVersion: "1" }, "version"],
            [`/prompts/${slug}/history`, { version: "1", baseVersion: v }, "baseVersion"],
            [`/prompts/${slug}?index`, { intent: "label", name: "production", version: v }, "version"],
            ["/snippets/tone", { intent: "save", baseVersion: v, template: "x" }, "baseVersion"],
            [conflictPath, { intent: "overwrite", confirm: "yes", headVersion: v }, "headVersion"],
            [`/prompts/${slug}/edit`, { draft: JSON.stringify(draft("x")), baseVersion: v }, "baseVersion"],
          ];
          for (const [path, fields, field] of cases) {
            const res = await post(path, fields);
            const html = await res.text();
            expect(res.status, `${path} ${field}=${v}`).toBe(400);
            expect(html, path).toContain("version");
          }
        }
        expect(await versionCount()).toBe(before);
        expect(await db.label.count()).toBe(0);
      },
    );
  });

  describe("NUL bytes", () => {
    it.skipIf(skip)("in a URL path or query → 400 on every route", async () => {
      for (const path of [
        `/prompts/a%00b`,
        `/snippets/%00`,
        api(`/prompts/a%00`),
        `/?q=a%00b`,
        api(`/prompts?tag=%00`),
        `/prompts/${slug}/compare?v.x=%00`,
      ]) {
        const body = await problem(await fetch(url(path)), 400);
        expect(body.error, path).toMatch(/NUL|control/);
      }
    });

    it.skipIf(skip)(
      "in a form field, a JSON body or the draft JSON of a save → 400 naming the field, nothing stored",
      async () => {
        const before = await versionCount();
        const prompts = await db.prompt.count();
        const created = await post("/prompts/new", {
          draft: JSON.stringify(draft("x")),
          name: "Nul\u0000name",
          message: "",
        });
        expect(created.status).toBe(400);
        expect(await created.text()).toContain("NUL");
        const saved = await post(`/prompts/${slug}/edit`, {
          draft: JSON.stringify(draft("a\u0000b")),
          baseVersion: "1",
          message: "",
        });
        expect(saved.status).toBe(400);
        await saved.arrayBuffer();
        const snippet = await post("/snippets/tone", { intent: "save", baseVersion: "1", template: "\u0000" });
        expect(snippet.status).toBe(400);
        await snippet.arrayBuffer();
        const rendered = await problem(
          await postJson(api(`/prompts/${slug}/render`), JSON.stringify({ variables: { x: "a\u0000" } })),
          400,
        );
        expect(rendered.issues[0]!.path).toEqual(["variables", "x"]);
        const preview = await problem(
          await postJson("/resources/render", JSON.stringify({ jobs: [{ template: "\u0000", input: {} }] })),
          400,
        );
        expect(preview.issues[0]!.path).toEqual(["jobs", 0, "template"]);
        expect(await versionCount()).toBe(before);
        expect(await db.prompt.count()).toBe(prompts);
      },
    );
  });

  describe("cursors", () => {
    const cursor = (c: object) => Buffer.from(JSON.stringify(c)).toString("base64url");
    const sortOf = (c: string) => {
      try {
        return (JSON.parse(Buffer.from(c, "base64url").toString()) as { s: string }).s;
      } catch {
        return "updated";
      }
    };

    it.skipIf(skip)("a garbage or tampered cursor → 400 naming the cursor (never a timestamp error)", async () => {
      const garbage = [
        "garbage",
        cursor({ s: "name", v: "a\u0000", id: "x" }),
        cursor({ s: "relevance", o: 1e20 }),
        cursor({ s: "updated", v: 5, id: "x" }),
      ];
      // PostgreSQL casts a date cursor's value to timestamp: one that is not a timestamp it handed
      // out is refused before the query (SQLite compares text and cannot fail on it).
      if (kind === "postgres")
        garbage.push(
          cursor({ s: "updated", v: "not a timestamp", id: "x" }),
          cursor({ s: "updated", v: "2026-13-45 99:00:00", id: "x" }),
          cursor({ s: "created", v: "2026-02-30 10:00:00", id: "x" }),
        );
      for (const c of garbage) {
        const body = await problem(await fetch(url(api(`/prompts?sort=${sortOf(c)}&cursor=${c}`))), 400);
        expect(body.issues.map((i) => i.path)).toEqual([["cursor"]]);
      }
      // The library page drops a bad cursor and says so next to the pager.
      const page = await fetch(url(`/?sort=created&cursor=${cursor({ s: "created", v: 7, id: "x" })}`));
      expect(page.status).toBe(200);
      expect(await page.text()).toContain("cursor is not valid");
      // A real one still works.
      const first = (await (await fetch(url(api("/prompts?sort=updated&limit=1")))).json()) as {
        nextCursor: string | null;
      };
      await createPrompt(db, { meta: { name: "Second", description: "", tags: [], folder: "" }, draft: draft("x") });
      const again = (await (await fetch(url(api("/prompts?sort=updated&limit=1")))).json()) as { nextCursor: string };
      expect(first.nextCursor === null || typeof first.nextCursor === "string").toBe(true);
      const next = await fetch(url(api(`/prompts?sort=updated&limit=1&cursor=${again.nextCursor}`)));
      expect(next.status).toBe(200);
      await next.arrayBuffer();
    });
  });

  describe("redirect targets", () => {
    it.skipIf(skip)("the theme form follows same-origin paths only", async () => {
      const ok = await post("/resources/theme", { theme: "dark", redirectTo: "/prompts/greeter?x=1" });
      expect(ok.status).toBe(302);
      expect(ok.headers.get("location")).toBe("/prompts/greeter?x=1");
      for (const target of [
        "/\\evil.example/phish",
        "//evil.example",
        "https://evil.example/",
        "/ok\r\nSet-Cookie: pwned=1",
        "/ok\nx",
      ]) {
        const res = await post("/resources/theme", { theme: "dark", redirectTo: target });
        const body = await problem(res, 400);
        expect(body.issues[0]!.path, JSON.stringify(target)).toEqual(["redirectTo"]);
        expect(res.headers.get("set-cookie")).toBeNull();
      }
    });

    it.skipIf(skip)("a bad `back` target is refused before the write it follows", async () => {
      const before = (await db.prompt.findUniqueOrThrow({ where: { id: promptId } })).favorite;
      const res = await post("/?index", {
        intent: "favorite",
        id: promptId,
        favorite: before ? "0" : "1",
        back: "/x\r\ny",
      });
      expect(res.status).toBe(400);
      await res.arrayBuffer();
      expect((await db.prompt.findUniqueOrThrow({ where: { id: promptId } })).favorite).toBe(before);
    });

    it.skipIf(skip)(
      "a newline or control character in the path a redirect is built from → 400 before any handler",
      async () => {
        const before = await versionCount();
        for (const path of [`/prompts/${slug}%0A/history`, `/prompts/${slug}%0D%0ASet-Cookie:x/history`]) {
          await problem(await post(path, { version: "1", baseVersion: "1" }), 400);
        }
        expect(await versionCount()).toBe(before);
        // A non-ASCII path parameter is percent-encoded in Location, not a 500.
        const res = await fetch(url(`/prompts/caf%C3%A9/conflict`), { redirect: "manual" });
        expect(res.status).toBe(302);
        expect(res.headers.get("location")).toBe("/prompts/caf%C3%A9");
      },
    );
  });

  it.skipIf(skip)("a Host header that is not a host → 400 problem, not a 500 from building the URL", async () => {
    const { port } = new URL(server.baseUrl);
    const answer = await new Promise<{ status: number; type: string }>((resolve, reject) => {
      const req = http.request({ host: "127.0.0.1", port, path: "/", headers: { host: "a b" } }, (res) => {
        res.resume();
        resolve({ status: res.statusCode ?? 0, type: String(res.headers["content-type"]) });
      });
      req.on("error", reject);
      req.end();
    });
    expect(answer).toEqual({ status: 400, type: "application/problem+json" });
  });

  describe("cross-site requests", () => {
    const favorite = (headers: Record<string, string>, path = "/?index") =>
      post(path, { intent: "favorite", id: promptId, favorite: "1", back: "/" }, headers);

    it.skipIf(skip)("a form POST from another origin → 403 problem+json, nothing written", async () => {
      await db.prompt.update({ where: { id: promptId }, data: { favorite: false } });
      const crossSite: Array<Record<string, string>> = [
        { origin: "http://evil.example" },
        { origin: "null" },
        { origin: "not a url" },
        { "sec-fetch-site": "cross-site" },
        { "sec-fetch-site": "same-site" },
      ];
      for (const headers of crossSite) {
        const body = await problem(await favorite(headers), 403);
        expect(body.error).toMatch(/Cross-site/);
        await problem(await favorite(headers, "/_root.data?index"), 403);
      }
      expect((await db.prompt.findUniqueOrThrow({ where: { id: promptId } })).favorite).toBe(false);
    });

    it.skipIf(skip)("the same POST from this origin, or from a program without Origin, goes through", async () => {
      const self = new URL(server.baseUrl).origin;
      const res = await favorite({ origin: self, "sec-fetch-site": "same-origin" });
      expect(res.status).toBe(302);
      expect((await db.prompt.findUniqueOrThrow({ where: { id: promptId } })).favorite).toBe(true);
      expect((await favorite({})).status).toBe(302);
    });

    it.skipIf(skip)("the API is checked only when the request carries cookies", async () => {
      const evil = { origin: "http://evil.example" };
      const plain = await postJson(api(`/prompts/${slug}/render`), "{}", evil);
      expect(plain.status).toBe(200);
      await plain.arrayBuffer();
      await problem(await postJson(api(`/prompts/${slug}/render`), "{}", { ...evil, cookie: "pb_theme=dark" }), 403);
    });
  });
});
