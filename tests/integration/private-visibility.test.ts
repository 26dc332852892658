/**
 * Issue 12, holes in "nobody sees another user's private prompt", on SQLite and PostgreSQL: the
 * library's filter values and the tags page (names and counts), a snippet's "used by" and its
 * dependents, and "update dependents" (which must only touch prompts the actor may change and say
 * how many it skipped). And the viewer's navigation offers no Trash (viewers get 403 there).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrompt } from "~/models/prompt-store.server";
import { createSnippet, saveSnippet } from "~/models/snippets.server";
import { createDb, type Db } from "~/server/db.server";
import { DATABASE_KINDS } from "../support/databases";
import { startServer, type RunningServer } from "../support/server";

const draft = (text: string) => ({
  sections: [{ kind: "task" as const, title: "Task", template: text, enabled: true, examples: [] }],
  variables: [],
  modelSettings: { model: "gpt-4o", stop: [] },
});
const clean = (html: string) => html.replace(/<!-- -->/g, "");

describe.each(DATABASE_KINDS)("private prompts stay private — $label", ({ kind, skip }) => {
  let server: RunningServer;
  let db: Db;
  const cookie: Record<"admin" | "alice" | "bob" | "vera", string> = { admin: "", alice: "", bob: "", vera: "" };
  const get = async (who: keyof typeof cookie, path: string) => {
    const res = await fetch(server.baseUrl + path, { headers: { Cookie: cookie[who] }, redirect: "manual" });
    expect(res.status, `${who} GET ${path}`).toBe(200);
    return clean(await res.text());
  };

  beforeAll(async () => {
    if (skip) return;
    server = await startServer({
      database: kind,
      seed: false,
      env: { ENABLE_AUTH: "true", SESSION_SECRET: "v".repeat(40), SIGNUP: "open" },
    });
    db = createDb(server.databaseUrl).db;
    for (const who of ["admin", "alice", "bob", "vera"] as const) {
      const res = await fetch(`${server.baseUrl}/signup`, {
        method: "POST",
        redirect: "manual",
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({
          name: who,
          email: `${who}@example.test`,
          password: `correct horse ${who} battery`,
        }),
      });
      expect(res.status).toBe(302);
      cookie[who] = res.headers.getSetCookie()[0]!.split(";")[0]!;
    }
    await db.user.updateMany({
      where: { email: { in: ["alice@example.test", "bob@example.test"] } },
      data: { role: "editor" },
    });
    const alice = await db.user.findUniqueOrThrow({ where: { email: "alice@example.test" } });
    await createSnippet(db, { name: "sign", template: "— the team" });
    await createPrompt(db, {
      meta: { name: "Alice secret", description: "", tags: ["secret-tag", "common"], folder: "hidden/plans" },
      slug: "alice-secret",
      draft: draft("Top secret {{> sign}}"),
      authorId: alice.id,
    });
    await db.prompt.update({ where: { slug: "alice-secret" }, data: { visibility: "private" } });
    await createPrompt(db, {
      meta: { name: "Shared one", description: "", tags: ["common"], folder: "team" },
      slug: "shared-one",
      draft: draft("Hello {{> sign}}"),
      authorId: alice.id,
    });
    await saveSnippet(db, { name: "sign", baseVersion: 1, input: { name: "sign", template: "— the whole team" } });
  }, 120_000);
  afterAll(async () => {
    await db?.$disconnect();
    await server?.stop();
  });

  it.skipIf(skip)("the library's filters do not name tags or folders only others' private prompts use", async () => {
    const bob = await get("bob", "/");
    expect(bob).not.toContain("secret-tag");
    expect(bob).not.toContain("hidden/plans");
    expect(bob).not.toMatch(/>hidden</);
    expect(bob).toContain("common");
    expect(bob).toContain("team");
    for (const who of ["alice", "admin"] as const) {
      const html = await get(who, "/");
      expect(html, who).toContain("secret-tag");
      expect(html, who).toContain("hidden/plans");
    }
  });

  it.skipIf(skip)("the tags page counts only prompts the reader may see", async () => {
    const bob = await get("bob", "/tags");
    expect(bob).not.toContain("secret-tag");
    expect(bob).toMatch(/#common<\/a> <span class="muted">\(1\)<\/span>/);
    const admin = await get("admin", "/tags");
    expect(admin).toMatch(/#secret-tag<\/a> <span class="muted">\(1\)<\/span>/);
    expect(admin).toMatch(/#common<\/a> <span class="muted">\(2\)<\/span>/);
  });

  it.skipIf(skip)("a snippet's used-by list and dependents leave out others' private prompts", async () => {
    const bob = await get("bob", "/snippets/sign");
    expect(bob).toContain("/prompts/shared-one");
    expect(bob).not.toContain("alice-secret");
    expect(bob).not.toContain("Alice secret");
    const alice = await get("alice", "/snippets/sign");
    expect(alice).toContain("/prompts/alice-secret");
  });

  it.skipIf(skip)(
    "update dependents touches only prompts the actor may change, and says how many it skipped",
    async () => {
      const page = await get("bob", "/snippets/sign/update");
      expect(page).toContain("Shared one");
      expect(page).not.toContain("Alice secret");
      expect(page).toMatch(/1 prompt on an older version of <code>sign<\/code> is another user&#x27;s private prompt/);
      // Even naming the private prompt's slug does not get it updated.
      const body = new URLSearchParams();
      body.append("slug", "shared-one");
      body.append("slug", "alice-secret");
      const res = await fetch(`${server.baseUrl}/snippets/sign/update`, {
        method: "POST",
        redirect: "manual",
        headers: { "Content-Type": "application/x-www-form-urlencoded", Cookie: cookie.bob },
        body,
      });
      expect(res.status).toBe(302);
      expect(res.headers.get("location")).toBe("/snippets/sign?updated=1&skipped=1");
      const heads = await db.prompt.findMany({ select: { slug: true, headVersion: true }, orderBy: { slug: "asc" } });
      expect(heads).toEqual([
        { slug: "alice-secret", headVersion: 1 },
        { slug: "shared-one", headVersion: 2 },
      ]);
      const after = await get("bob", "/snippets/sign?updated=1&skipped=1");
      expect(after).toContain("Skipped 1 other user&#x27;s private prompt: not yours to change.");
      // The owner can still update her own.
      expect(await get("alice", "/snippets/sign/update")).toContain("Alice secret");
    },
  );

  it.skipIf(skip)("a viewer's navigation has no Trash; an editor's has", async () => {
    expect(await get("vera", "/")).not.toContain('href="/trash"');
    expect(await get("bob", "/")).toContain('href="/trash"');
  });
});
