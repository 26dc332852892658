/**
 * ENABLE_AUTH=true against the production build, on SQLite and PostgreSQL: every route module in
 * app/routes × anonymous / viewer / editor / admin (the table below must name every route file, so
 * a new route fails here until its roles are decided), API tokens by scope and label, private
 * prompts by page, `.data`, API and guessed ids, and revocation taking effect at once.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "~/server/db.server";
import { moveLabel } from "~/models/labels.server";
import { createPrompt, saveVersion } from "~/models/prompt-store.server";
import { createSnippet } from "~/models/snippets.server";
import { DATABASE_KINDS } from "../support/databases";
import { ROOT } from "../support/paths";
import { startServer, type RunningServer } from "../support/server";

type Who = "anonymous" | "viewer" | "editor" | "admin";
type Need = "public" | "viewer" | "editor" | "admin";
/** Per route file: a sample path, and who may GET it and POST to it (null: no such method tested). */
const ROUTES: Record<string, { path: string; get: Need | null; post: Need | null; api?: boolean }> = {
  "_index.tsx": { path: "/", get: "viewer", post: "editor" },
  "admin.tsx": { path: "/admin", get: "admin", post: "admin" },
  "admin_.audit.tsx": { path: "/admin/audit", get: "admin", post: null },
  "admin_.providers.tsx": { path: "/admin/providers", get: "admin", post: "admin" },
  "api.health.ts": { path: "/api/health", get: "public", post: null, api: true },
  "api.$.ts": { path: "/api/no-such-path", get: "viewer", post: "viewer", api: true },
  "api.v1.export.ts": { path: "/api/v1/export", get: "viewer", post: null, api: true },
  "api.v1.import.ts": { path: "/api/v1/import?dryRun=true", get: "editor", post: "editor", api: true },
  "api.v1.import.langfuse.ts": {
    path: "/api/v1/import/langfuse?dryRun=true",
    get: "editor",
    post: "editor",
    api: true,
  },
  "api.v1.import.zip.ts": { path: "/api/v1/import/zip?dryRun=true", get: "editor", post: "editor", api: true },
  "api.v1.export[.zip].ts": { path: "/api/v1/export.zip", get: "viewer", post: null, api: true },
  "api.v1.openapi[.json].ts": { path: "/api/v1/openapi.json", get: "viewer", post: null, api: true },
  "api.v1.prompts.$slug.export[.md].ts": {
    path: "/api/v1/prompts/shared-one/export.md",
    get: "viewer",
    post: null,
    api: true,
  },
  "api.v1.schemas.bundle[.json].ts": { path: "/api/v1/schemas/bundle.json", get: "viewer", post: null, api: true },
  "api.v1.prompts.$slug.render.ts": {
    path: "/api/v1/prompts/shared-one/render",
    get: "viewer",
    post: "viewer",
    api: true,
  },
  // The write API: POST "{}" is refused by its schema (400) after the guard, so nothing is written.
  "api.v1.prompts.$slug.labels.$name.ts": {
    path: "/api/v1/prompts/shared-one/labels/staging",
    get: "editor",
    post: "editor",
    api: true,
  },
  "api.v1.prompts.$slug.restore.ts": {
    path: "/api/v1/prompts/shared-one/restore",
    get: "viewer",
    post: "editor",
    api: true,
  },
  "api.v1.prompts.$slug.ts": { path: "/api/v1/prompts/shared-one", get: "viewer", post: "editor", api: true },
  "api.v1.prompts.$slug.versions.ts": {
    path: "/api/v1/prompts/shared-one/versions",
    get: "viewer",
    post: "editor",
    api: true,
  },
  "api.v1.prompts.ts": { path: "/api/v1/prompts", get: "viewer", post: "editor", api: true },
  "api.v1.snippets.$name.restore.ts": {
    path: "/api/v1/snippets/sign/restore",
    get: "viewer",
    post: "editor",
    api: true,
  },
  "api.v1.snippets.$name.ts": { path: "/api/v1/snippets/sign", get: "viewer", post: "editor", api: true },
  "api.v1.snippets.$name.versions.ts": {
    path: "/api/v1/snippets/sign/versions",
    get: "viewer",
    post: "editor",
    api: true,
  },
  "api.v1.snippets.ts": { path: "/api/v1/snippets", get: "viewer", post: "editor", api: true },
  "auth.oidc.ts": { path: "/auth/oidc", get: "public", post: null },
  "auth.oidc_.callback.tsx": { path: "/auth/oidc/callback", get: "public", post: null },
  "healthz.ts": { path: "/healthz", get: "public", post: null, api: true },
  "import.tsx": { path: "/import", get: "editor", post: "editor" },
  "login.tsx": { path: "/login", get: "public", post: "public" },
  "logout.tsx": { path: "/logout", get: "viewer", post: null },
  "mcp.ts": { path: "/mcp", get: "viewer", post: "viewer", api: true },
  "password-reset.tsx": { path: "/password-reset", get: "public", post: "public" },
  "prompts.$slug._index.tsx": { path: "/prompts/shared-one", get: "viewer", post: "editor" },
  "prompts.$slug.change-requests.$id.tsx": {
    path: "/prompts/shared-one/change-requests/none",
    get: "viewer",
    post: "editor",
  },
  "prompts.$slug.compare.tsx": { path: "/prompts/shared-one/compare?a=1&b=1", get: "viewer", post: null },
  "prompts.$slug.conflict.$id.tsx": { path: "/prompts/shared-one/conflict/none", get: "editor", post: "editor" },
  "prompts.$slug.conflict._index.tsx": { path: "/prompts/shared-one/conflict", get: "viewer", post: "editor" },
  "prompts.$slug.compare-runs.tsx": { path: "/prompts/shared-one/compare-runs", get: "viewer", post: null },
  "prompts.$slug.runs.$id.tsx": { path: "/prompts/shared-one/runs/none", get: "viewer", post: "editor" },
  "prompts.$slug.runs._index.tsx": { path: "/prompts/shared-one/runs", get: "viewer", post: "editor" },
  "prompts.$slug.edit.tsx": { path: "/prompts/shared-one/edit", get: "editor", post: "editor" },
  "prompts.$slug.history.tsx": { path: "/prompts/shared-one/history", get: "viewer", post: "editor" },
  "prompts.$slug.test-values.ts": {
    path: "/prompts/shared-one/test-values",
    get: "viewer",
    post: "editor",
    api: false,
  },
  "prompts.$slug.tests._index.tsx": { path: "/prompts/shared-one/tests", get: "viewer", post: "editor" },
  "prompts.$slug.tests.export.ts": { path: "/prompts/shared-one/tests/export?format=csv", get: "viewer", post: null },
  "prompts.$slug.tests.runs.$id.tsx": { path: "/prompts/shared-one/tests/runs/none", get: "viewer", post: "editor" },
  "prompts.new.tsx": { path: "/prompts/new", get: "editor", post: "editor" },
  "resources.playground.ts": { path: "/resources/playground", get: "viewer", post: "editor" },
  "resources.render.ts": { path: "/resources/render", get: "viewer", post: "viewer" },
  "resources.theme.ts": { path: "/resources/theme", get: "public", post: "public" },
  "settings.tsx": { path: "/settings", get: "viewer", post: "viewer" },
  "signup.tsx": { path: "/signup", get: "public", post: "public" },
  "snippets.$name.tsx": { path: "/snippets/sign", get: "viewer", post: "editor" },
  "snippets.$name_.update.tsx": { path: "/snippets/sign/update", get: "editor", post: "editor" },
  "snippets._index.tsx": { path: "/snippets", get: "viewer", post: "editor" },
  "tags.tsx": { path: "/tags", get: "viewer", post: "editor" },
  "trash.tsx": { path: "/trash", get: "editor", post: "editor" },
};
const RANK: Record<Need, number> = { public: 0, viewer: 1, editor: 2, admin: 3 };
const WHO_RANK: Record<Who, number> = { anonymous: 0, viewer: 1, editor: 2, admin: 3 };
const SECRET = "s".repeat(40);

const draft = (text: string) => ({
  sections: [{ kind: "task" as const, title: "Task", template: text, enabled: true, examples: [] }],
  variables: [],
  modelSettings: { model: "gpt-4o", stop: [] },
});

describe("the authorization table names every route file", () => {
  it("has an entry for each module in app/routes", () => {
    const files = fs.readdirSync(path.join(ROOT, "app/routes")).filter((f) => /\.tsx?$/.test(f));
    expect(files.sort()).toEqual(Object.keys(ROUTES).sort());
  });
});

describe.each(DATABASE_KINDS)("accounts and authorization — $label", ({ kind, skip }) => {
  let server: RunningServer;
  let db: Db;
  const cookies: Partial<Record<Who, string>> = {};
  const tokens = { viewerRead: "", editorRender: "", editorAll: "" };

  const req = (p: string, init: RequestInit & { who?: Who; token?: string } = {}) => {
    const headers = new Headers(init.headers);
    if (init.who && cookies[init.who]) headers.set("Cookie", cookies[init.who]!);
    if (init.token) headers.set("Authorization", `Bearer ${init.token}`);
    return fetch(server.baseUrl + p, { ...init, headers, redirect: "manual" });
  };
  const form = (fields: Record<string, string>) => ({
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(fields).toString(),
  });
  const sessionCookie = (res: Response) => {
    const set = res.headers.getSetCookie().find((c) => c.startsWith("pb_session="));
    return set ? set.split(";")[0]! : "";
  };
  async function link(html: string, pattern: RegExp) {
    const m = pattern.exec(html.replaceAll("&amp;", "&"));
    expect(m, html.slice(0, 500)).not.toBeNull();
    return m![1]!;
  }
  let extra = 0;
  async function signUp(who: Who, invite: string) {
    // Accounts beyond the three named ones get their own e-mail (kept under the "anonymous" slot).
    const email = who === "anonymous" ? `extra${++extra}@example.test` : `${who}@example.test`;
    const res = await req("/signup", form({ invite, name: who, email, password: `correct horse ${who} battery` }));
    expect(res.status).toBe(302);
    cookies[who] = sessionCookie(res);
  }
  async function invite(role: string) {
    const res = await req("/admin", { ...form({ intent: "invite", role }), who: "admin" });
    return link(await res.text(), /signup\?invite=([A-Za-z0-9_-]+)/);
  }
  async function newToken(who: Who, scopes: string[], labels = "") {
    const body = new URLSearchParams({ intent: "token", name: `t-${scopes.join("-")}`, labels });
    for (const s of scopes) body.append("scopes", s);
    const res = await req("/settings", {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: body.toString(),
      who,
    });
    return link(await res.text(), /(pb_[A-Za-z0-9_-]{20,})/);
  }

  beforeAll(async () => {
    if (skip) return;
    server = await startServer({ database: kind, seed: false, env: { ENABLE_AUTH: "true", SESSION_SECRET: SECRET } });
    db = createDb(server.databaseUrl).db;
    await createSnippet(db, { name: "sign", template: "— the team" });
    await createPrompt(db, {
      meta: { name: "Shared one", description: "", tags: [], folder: "" },
      slug: "shared-one",
      draft: draft("Hello shared"),
    });
    // First run: the first account becomes admin.
    expect((await req("/login")).headers.get("location")).toBe("/signup");
    const first = await req(
      "/signup",
      form({ name: "admin", email: "admin@example.test", password: "correct horse admin battery" }),
    );
    expect(first.status).toBe(302);
    cookies.admin = sessionCookie(first);
    expect(cookies.admin).toMatch(/^pb_session=/);
    await signUp("editor", await invite("editor"));
    await signUp("viewer", await invite("viewer"));
    const editor = await db.user.findUniqueOrThrow({ where: { email: "editor@example.test" } });
    await createPrompt(db, {
      meta: { name: "Secret plan", description: "", tags: [], folder: "" },
      slug: "secret-plan",
      draft: draft("Top secret text"),
      authorId: editor.id,
    });
    await db.prompt.update({ where: { slug: "secret-plan" }, data: { visibility: "private" } });
    tokens.viewerRead = await newToken("viewer", ["read"]);
    tokens.editorRender = await newToken("editor", ["render"], "production");
    tokens.editorAll = await newToken("editor", ["read", "render", "write"]);
  }, 120_000);
  afterAll(async () => {
    await db?.$disconnect();
    await server?.stop();
  });

  it.skipIf(skip)("the first account is an admin; roles come from the invitation", async () => {
    const users = await db.user.findMany({ orderBy: { createdAt: "asc" }, select: { email: true, role: true } });
    expect(users).toEqual([
      { email: "admin@example.test", role: "admin" },
      { email: "editor@example.test", role: "editor" },
      { email: "viewer@example.test", role: "viewer" },
    ]);
    const stored = await db.user.findMany({ select: { passwordHash: true } });
    for (const u of stored) expect(u.passwordHash).toMatch(/^scrypt\$32768\$8\$3\$/);
  });

  for (const who of ["anonymous", "viewer", "editor", "admin"] as const) {
    it.skipIf(skip)(`every route × ${who}`, async () => {
      for (const [file, route] of Object.entries(ROUTES)) {
        for (const method of ["GET", "POST"] as const) {
          const need = method === "GET" ? route.get : route.post;
          if (!need) continue;
          const init =
            method === "GET"
              ? { who }
              : route.api || file === "resources.render.ts" || file === "resources.playground.ts"
                ? { method, who, headers: { "Content-Type": "application/json" }, body: "{}" }
                : { ...form({ intent: "probe" }), who };
          // Remix sends a POST to an index route's action only with ?index.
          const target =
            method === "POST" && file.endsWith("_index.tsx")
              ? `${route.path}${route.path.includes("?") ? "&" : "?"}index`
              : route.path;
          const res = await req(target, init);
          const what = `${method} ${route.path} (${file}) as ${who}: ${res.status}`;
          const allowed = need === "public" || WHO_RANK[who] >= RANK[need];
          if (allowed) {
            // A failed login is 401 by design (the form is reached; the credentials are wrong).
            if (file !== "login.tsx") expect(res.status, what).not.toBe(401);
            expect(res.status, what).not.toBe(403);
            expect(res.headers.get("location") ?? "", what).not.toMatch(/^\/login/);
            expect(res.status, what).toBeLessThan(500);
          } else if (who === "anonymous") {
            if (route.api || file.startsWith("resources.")) {
              if (route.api) expect(res.status, what).toBe(401);
              else expect([302, 401], what).toContain(res.status);
              if (res.status === 401) {
                expect(res.headers.get("content-type")).toContain("application/problem+json");
              }
            } else {
              expect(res.status, what).toBe(302);
              expect(res.headers.get("location"), what).toMatch(/^\/login/);
            }
          } else {
            expect(res.status, what).toBe(403);
          }
          await res.arrayBuffer();
        }
      }
    });
  }

  it.skipIf(skip)("a page redirects to login with a same-origin return path, and login returns there", async () => {
    const res = await req("/tags?x=1");
    expect(res.headers.get("location")).toBe(`/login?redirectTo=${encodeURIComponent("/tags?x=1")}`);
    const login = await req(
      "/login",
      form({ email: "viewer@example.test", password: "correct horse viewer battery", redirectTo: "/tags?x=1" }),
    );
    expect(login.headers.get("location")).toBe("/tags?x=1");
    for (const evil of ["//evil.example/x", "/\\evil.example", "https://evil.example/"]) {
      const r = await req(
        "/login",
        form({ email: "viewer@example.test", password: "correct horse viewer battery", redirectTo: evil }),
      );
      expect(r.headers.get("location"), evil).toBe("/");
    }
  });

  it.skipIf(skip)("unknown user and wrong password get the same 401 and no session", async () => {
    const before = await db.session.count();
    const wrong = await req("/login", form({ email: "viewer@example.test", password: "not the password at all" }));
    const unknown = await req("/login", form({ email: "nobody@example.test", password: "not the password at all" }));
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    const text = (t: string) => /alert-error" role="alert">([^<]+)</.exec(t)?.[1];
    expect(text(await wrong.text())).toBe(text(await unknown.text()));
    expect(wrong.headers.getSetCookie()).toEqual([]);
    expect(await db.session.count()).toBe(before);
  });

  it.skipIf(skip)(
    "private prompts are invisible to others: library, page, .data, API list, API get, render, guessed ids",
    async () => {
      const secret = await db.prompt.findUniqueOrThrow({ where: { slug: "secret-plan" } });
      for (const who of ["viewer"] as const) {
        expect(await (await req("/", { who })).text()).not.toContain("Secret plan");
        expect(await (await req("/?q=secret", { who })).text()).not.toContain("Secret plan");
        expect((await req("/prompts/secret-plan", { who })).status).toBe(404);
        const data = await req("/prompts/secret-plan.data", { who });
        expect(await data.text()).not.toContain("Top secret");
        expect((await req("/prompts/secret-plan/history", { who })).status).toBe(404);
      }
      const list = await (await req("/api/v1/prompts", { token: tokens.viewerRead })).json();
      expect(JSON.stringify(list)).not.toContain("secret-plan");
      expect((await req("/api/v1/prompts/secret-plan", { token: tokens.viewerRead })).status).toBe(404);
      // Another editor's guessed id in a bulk action: 404, nothing changed.
      const other = await invite("editor");
      await signUp("anonymous", other); // a second editor, kept under the "anonymous" cookie slot
      const bulk = await req("/?index", {
        ...form({ intent: "bulk", op: "tag", value: "hacked", ids: secret.id }),
        who: "anonymous",
      });
      expect(bulk.status).toBe(404);
      expect(await db.promptTag.count({ where: { promptId: secret.id } })).toBe(0);
      delete cookies.anonymous;
      // The owner and an admin see it.
      expect((await req("/prompts/secret-plan", { who: "editor" })).status).toBe(200);
      expect(await (await req("/", { who: "admin" })).text()).toContain("Secret plan");
      expect((await req("/api/v1/prompts/secret-plan", { token: tokens.editorAll })).status).toBe(200);
    },
  );

  it.skipIf(skip)("tokens: scope, labels, bad and revoked tokens", async () => {
    const render = (token: string, body: unknown) =>
      req("/api/v1/prompts/shared-one/render", {
        method: "POST",
        token,
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(body),
      });
    expect((await req("/api/v1/prompts", { token: tokens.viewerRead })).status).toBe(200);
    const noScope = await render(tokens.viewerRead, { variables: {} });
    expect(noScope.status).toBe(403);
    expect((await noScope.json()).error).toContain('"render"');
    expect((await req("/api/v1/prompts", { token: tokens.editorRender })).status).toBe(403);
    // Limited to "production": a render by version number or another label is refused.
    expect((await render(tokens.editorRender, { variables: {}, version: 1 })).status).toBe(403);
    expect((await render(tokens.editorRender, { variables: {}, label: "staging" })).status).toBe(403);
    expect((await render(tokens.editorRender, { variables: {}, label: "production" })).status).not.toBe(403);
    expect((await render(tokens.editorAll, { variables: {} })).status).toBe(200);
    const bad = await req("/api/v1/prompts", { token: "pb_not-a-real-token" });
    expect(bad.status).toBe(401);
    expect(bad.headers.get("www-authenticate")).toContain("Bearer");
    // A viewer cannot mint a write token.
    const res = await req("/settings", {
      ...form({ intent: "token", name: "w", scopes: "write" }),
      who: "viewer",
    });
    expect(res.status).toBe(422);
    // Revoked: stops at once.
    const row = await db.apiToken.findFirstOrThrow({
      where: { name: "t-read", user: { email: "viewer@example.test" } },
    });
    expect(row.lastUsedAt).not.toBeNull();
    const revoke = await req("/settings", { ...form({ intent: "revoke", id: row.id }), who: "viewer" });
    expect(revoke.status).toBe(200);
    expect((await req("/api/v1/prompts", { token: tokens.viewerRead })).status).toBe(401);
    // Token text is never stored.
    expect(JSON.stringify(await db.apiToken.findMany())).not.toContain(tokens.editorAll);
  });

  it.skipIf(skip)(
    "protected labels: a token proposes (202) and cannot decide; an editor proposes on the page, an admin approves; all audited",
    async () => {
      const shared = await db.prompt.findUniqueOrThrow({ where: { slug: "shared-one" } });
      if (shared.headVersion < 2)
        await saveVersion(db, {
          promptId: shared.id,
          baseVersion: shared.headVersion,
          draft: draft("Hello shared, v2"),
        });
      await moveLabel(db, {
        promptId: shared.id,
        name: "production",
        version: 1,
        protect: true,
        actor: null,
        authEnabled: false,
      });
      const auditBefore = await db.auditEvent.findMany({ orderBy: { id: "asc" } });
      const put = (token: string, label: string, body: unknown) =>
        req(`/api/v1/prompts/shared-one/labels/${label}`, {
          method: "PUT",
          token,
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify(body),
        });
      // A write token of an editor: 202 with the request, the label stays.
      const proposed = await put(tokens.editorAll, "production", { version: 2, comment: "from CI" });
      expect(proposed.status).toBe(202);
      const body = await proposed.json();
      expect(body.changeRequest).toMatchObject({ label: "production", from: 1, to: 2, status: "open" });
      expect(proposed.headers.get("location")).toBe(body.changeRequest.url);
      const label = () =>
        db.label.findFirstOrThrow({ where: { promptId: shared.id, name: "production" }, include: { version: true } });
      expect((await label()).version.number).toBe(1);
      // Scope and label limits still apply; an unprotected label moves at once (200).
      expect((await put(tokens.editorRender, "production", { version: 2 })).status).toBe(403);
      expect((await put(tokens.editorAll, "staging", { version: 2 })).status).toBe(200);
      expect((await put(tokens.editorAll, "staging", { version: "two" })).status).toBe(400);
      expect((await req("/api/v1/prompts/shared-one/labels/staging", { token: tokens.editorAll })).status).toBe(405);
      // A bearer token on the request page is no session: it cannot approve.
      const viaToken = await req(body.changeRequest.url, { ...form({ intent: "approve" }), token: tokens.editorAll });
      expect(viaToken.status).toBe(302);
      expect(viaToken.headers.get("location")).toMatch(/^\/login/);
      // The proposer (the editor, in the browser) cannot approve their own request; the admin can.
      const own = await req(body.changeRequest.url, { ...form({ intent: "approve" }), who: "editor" });
      expect(own.status).toBe(403);
      const page = await req(body.changeRequest.url, { who: "admin" });
      const html = await page.text();
      // The rendered diff (word by word) of the proposed version against the label's target.
      expect(html).toContain('class="diff-columns"');
      expect(html.replace(/<[^>]+>/g, "")).toMatch(/v2/);
      expect(html).toContain("Approve and move the label");
      const approved = await req(body.changeRequest.url, {
        ...form({ intent: "approve", comment: "go" }),
        who: "admin",
      });
      expect(approved.status).toBe(302);
      expect((await label()).version.number).toBe(2);
      // From the prompt page: the editor's "move" of a protected label opens a request instead.
      const fromPage = await req("/prompts/shared-one?index", {
        ...form({ intent: "label", name: "production", customName: "", version: "1", comment: "roll back" }),
        who: "editor",
      });
      expect(fromPage.status).toBe(302);
      expect(fromPage.headers.get("location")).toMatch(
        /^\/prompts\/shared-one\/change-requests\/[a-z0-9]+\?done=proposed$/,
      );
      expect((await label()).version.number).toBe(2);
      const open = await db.labelChangeRequest.findFirstOrThrow({ where: { status: "open" } });
      expect(open).toMatchObject({ fromNumber: 2, toNumber: 1, comment: "roll back" });
      const reject = await req(`/prompts/shared-one/change-requests/${open.id}`, {
        ...form({ intent: "reject" }),
        who: "admin",
      });
      expect(reject.status).toBe(302);
      // The viewer cannot propose.
      const byViewer = await req("/prompts/shared-one?index", {
        ...form({ intent: "label", name: "production", customName: "", version: "1" }),
        who: "viewer",
      });
      expect(byViewer.status).toBe(403);
      // Everything above is in the audit log, with the token and the client's address.
      const events = await db.auditEvent.findMany({
        where: { action: { startsWith: "changeRequest." } },
        orderBy: { at: "asc" },
      });
      expect(events.map((e) => e.action)).toEqual([
        "changeRequest.open",
        "changeRequest.approve",
        "changeRequest.open",
        "changeRequest.reject",
      ]);
      expect(events[0]!.tokenId).not.toBeNull();
      expect(events[0]!.actorLabel).toBe("editor@example.test");
      expect(events[1]!.actorLabel).toBe("admin@example.test");
      for (const e of events) expect(e.address).toMatch(/^(127\.0\.0\.1|::1|0000:0000:0000:0000::\/64|0:0:0:0::\/64)$/);
      const audit = await req("/admin/audit?action=changeRequest", { who: "admin" });
      expect(await audit.text()).toContain("changeRequest.approve");
      expect((await req("/admin/audit", { who: "editor" })).status).toBe(403);
      // No request changed or removed an audit row that existed before: sweep every route as admin
      // with a probe form, a JSON body and the other methods.
      for (const [file, route] of Object.entries(ROUTES)) {
        if (file === "logout.tsx") continue; // would end the admin's session for the tests after this one
        const target = file.endsWith("_index.tsx")
          ? `${route.path}${route.path.includes("?") ? "&" : "?"}index`
          : route.path;
        for (const init of [
          { ...form({ intent: "probe" }), who: "admin" as const },
          { method: "POST", who: "admin" as const, headers: { "Content-Type": "application/json" }, body: "{}" },
          { method: "DELETE", who: "admin" as const },
          { method: "PUT", who: "admin" as const, headers: { "Content-Type": "application/json" }, body: "{}" },
        ])
          await (await req(target, init)).arrayBuffer();
      }
      const after = new Map((await db.auditEvent.findMany()).map((e) => [e.id, e]));
      for (const e of auditBefore) expect(after.get(e.id), e.id).toEqual(e);
    },
  );

  it.skipIf(skip)("invitations and reset links work once; a role change takes effect at once", async () => {
    const code = await invite("viewer");
    const users = await db.user.count();
    await signUp("anonymous", code);
    delete cookies.anonymous;
    const again = await req(
      "/signup",
      form({ invite: code, name: "x", email: "x@example.test", password: "another fine password 1" }),
    );
    expect(again.status).toBe(422);
    expect(await db.user.count()).toBe(users + 1);
    // Expired invitation: refused, nothing created.
    const expired = await invite("editor");
    await db.accountLink.updateMany({
      where: { usedAt: null, kind: "invite" },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    const late = await req(
      "/signup",
      form({ invite: expired, name: "y", email: "y@example.test", password: "another fine password 2" }),
    );
    expect(late.status).toBe(422);
    expect(await db.user.count()).toBe(users + 1);
    // Without an invitation (SIGNUP=invite): 403.
    const none = await req(
      "/signup",
      form({ name: "z", email: "z@example.test", password: "another fine password 3" }),
    );
    expect(none.status).toBe(403);
    // A common or short password: 422, nothing created.
    const weak = await req(
      "/signup",
      form({ invite: await invite("viewer"), name: "w", email: "w@example.test", password: "qwertyuiop" }),
    );
    expect(weak.status).toBe(422);
    expect(await db.user.count()).toBe(users + 1);
    // Reset link: works once, ends the user's sessions.
    const viewer = await db.user.findUniqueOrThrow({ where: { email: "viewer@example.test" } });
    const resetPage = await req("/admin", { ...form({ intent: "reset", userId: viewer.id }), who: "admin" });
    const token = await link(await resetPage.text(), /password-reset\?token=([A-Za-z0-9_-]+)/);
    const reset = await req("/password-reset", form({ token, password: "a brand new viewer secret" }));
    expect(reset.status).toBe(302);
    expect((await req("/tags", { who: "viewer" })).status).toBe(302);
    const reused = await req("/password-reset", form({ token, password: "yet another viewer secret" }));
    expect(reused.status).toBe(422);
    const login = await req("/login", form({ email: "viewer@example.test", password: "a brand new viewer secret" }));
    expect(login.status).toBe(302);
    cookies.viewer = sessionCookie(login);
    // Promote the viewer to editor: the next request may edit.
    expect((await req("/prompts/new", { who: "viewer" })).status).toBe(403);
    await req("/admin", { ...form({ intent: "role", userId: viewer.id, role: "editor" }), who: "admin" });
    expect((await req("/prompts/new", { who: "viewer" })).status).toBe(200);
    await req("/admin", { ...form({ intent: "role", userId: viewer.id, role: "viewer" }), who: "admin" });
  });

  it.skipIf(skip)("revoked and deactivated sessions stop at once; log out everywhere", async () => {
    const viewer = await db.user.findUniqueOrThrow({ where: { email: "viewer@example.test" } });
    expect((await req("/tags", { who: "viewer" })).status).toBe(200);
    for (const session of await db.session.findMany({ where: { userId: viewer.id } }))
      await req("/admin", { ...form({ intent: "revoke-session", id: session.id }), who: "admin" });
    expect(await db.session.count({ where: { userId: viewer.id } })).toBe(0);
    expect((await req("/tags", { who: "viewer" })).status).toBe(302);
    // A forged or re-signed cookie does not log in.
    expect((await req("/tags", { headers: { Cookie: "pb_session=abc.def" } })).status).toBe(302);
    // Log out everywhere ends every session of the account.
    const a = sessionCookie(
      await req("/login", form({ email: "editor@example.test", password: "correct horse editor battery" })),
    );
    const b = sessionCookie(
      await req("/login", form({ email: "editor@example.test", password: "correct horse editor battery" })),
    );
    await req("/logout", {
      ...form({ everywhere: "yes" }),
      headers: { Cookie: a, "Content-Type": "application/x-www-form-urlencoded" },
    });
    expect((await req("/tags", { headers: { Cookie: b } })).status).toBe(302);
    // The last admin cannot be demoted.
    const admin = await db.user.findUniqueOrThrow({ where: { email: "admin@example.test" } });
    const demote = await req("/admin", { ...form({ intent: "role", userId: admin.id, role: "viewer" }), who: "admin" });
    expect(demote.status).toBe(403);
    expect((await db.user.findUniqueOrThrow({ where: { id: admin.id } })).role).toBe("admin");
    // Audit entries were written for these account changes.
    const actions = (await db.auditEvent.findMany({ select: { action: true } })).map((e) => e.action);
    expect(actions).toEqual(
      expect.arrayContaining(["user.sign-up", "token.create", "token.revoke", "session.revoke", "user.role"]),
    );
  });
});
