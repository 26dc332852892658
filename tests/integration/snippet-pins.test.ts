/**
 * Pinned snippets (issue 9) through the real server, on SQLite and PostgreSQL: editing, renaming or
 * trashing a snippet never changes what an existing version renders, by label and by version.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb } from "~/server/db.server";
import type { Db } from "~/server/db.server";
import { moveLabel } from "~/models/labels.server";
import { createPrompt, saveVersion } from "~/models/prompt-store.server";
import { createSnippet, renameSnippet, saveSnippet } from "~/models/snippets.server";
import { snippetDependents } from "~/models/snippet-dependents.server";
import { applyDependentUpdates, previewDependentUpdates } from "~/models/snippet-update.server";
import { trashSnippet } from "~/models/trash.server";
import { saveDefaultTestValues } from "~/models/test-values.server";
import { ConflictError } from "~/prompt/errors";
import type { PromptDraft } from "~/prompt/draft";
import { DATABASE_KINDS } from "../support/databases";
import { startServer, type RunningServer } from "../support/server";

/** The API's base path: one line to change when it moves (issue 8 moves it to /api/v1). */
const API = "/api/v1";

const draft = (template: string): PromptDraft => ({
  sections: [{ kind: "task", title: "Task", template, enabled: true, examples: [] }],
  variables: [
    { name: "question", type: "text", required: true, enumValues: [], description: "" },
    { name: "team", type: "string", required: false, default: "Acme", enumValues: [], description: "" },
  ],
  modelSettings: { model: "gpt-4o", stop: [] },
});

describe.each(DATABASE_KINDS)("pinned snippets — $label", ({ kind, skip }) => {
  let server: RunningServer;
  let db: Db;
  let promptId = "";
  let looseId = "";
  beforeAll(async () => {
    if (skip) return;
    server = await startServer({ database: kind, seed: false });
    db = createDb(server.databaseUrl).db;
    await createSnippet(db, { name: "sig", template: "Regards, the {{team}} team" });
    await createSnippet(db, { name: "inner", template: "(inner v1)" });
    await createSnippet(db, { name: "outer", template: "[outer v1 {{> inner}}]" });
    await createSnippet(db, { name: "loose", template: "loose v1" });
    const { prompt } = await createPrompt(db, {
      meta: { name: "Pinned reply", description: "", folder: "", tags: [] },
      draft: draft("Answer {{question}}.\n{{> sig}} {{> outer}}"),
    });
    promptId = prompt.id;
    await saveDefaultTestValues(db, prompt.slug, { question: "why" });
    await moveLabel(db, { promptId, name: "production", version: 1, actor: null, authEnabled: false });
    const other = await createPrompt(db, {
      meta: { name: "Unlabelled user", description: "", folder: "", tags: [] },
      draft: draft("{{question}} {{> loose}}"),
    });
    looseId = other.prompt.id;
  }, 120_000);
  afterAll(async () => {
    await db?.$disconnect();
    await server?.stop();
  });

  const render = async (slug: string, selector: Record<string, unknown>) => {
    const res = await fetch(`${server.baseUrl}${API}/prompts/${slug}/render`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ ...selector, target: "plain", variables: { question: "why" } }),
    });
    return { status: res.status, body: (await res.json()) as { text?: string } };
  };
  const expected = "Answer why.\nRegards, the Acme team [outer v1 (inner v1)]";

  it.skipIf(skip)("renders what was pinned at save, by label and by version", async () => {
    expect(await render("pinned-reply", { label: "production" })).toEqual({
      status: 200,
      body: expect.objectContaining({ text: expected }),
    });
    const pins = await db.versionSnippetPin.findMany({ where: { version: { promptId } }, orderBy: { name: "asc" } });
    expect(pins.map((p) => [p.name, p.snippetNumber])).toEqual([
      ["inner", 1],
      ["outer", 1],
      ["sig", 1],
    ]);
  });

  it.skipIf(skip)("editing a snippet (directly or one it includes) changes no existing version", async () => {
    await saveSnippet(db, { name: "sig", baseVersion: 1, input: { name: "sig", template: "Regards, {{agent_name}}" } });
    await saveSnippet(db, { name: "inner", baseVersion: 1, input: { name: "inner", template: "(inner v2)" } });
    for (const selector of [{ label: "production" }, { version: 1 }]) {
      expect(await render("pinned-reply", selector)).toEqual({
        status: 200,
        body: expect.objectContaining({ text: expected }),
      });
    }
    // No prompt version was created by the snippet edits.
    expect(await db.promptVersion.count({ where: { promptId } })).toBe(1);
  });

  const postForm = (path: string, fields: Record<string, string>) =>
    fetch(`${server.baseUrl}${path}`, {
      method: "POST",
      body: new URLSearchParams(fields),
      headers: { "content-type": "application/x-www-form-urlencoded", "sec-fetch-site": "same-origin" },
      redirect: "manual",
    });

  it.skipIf(skip)(
    "the snippet page's rename form says what is wrong next to the field and changes nothing",
    async () => {
      for (const [newName, message] of [
        ["two words", /New name must start with a letter or _/],
        ["sig", /A snippet named (&quot;|")sig(&quot;|") already exists/],
        ["bad\u0000name", /New name|control/i],
        ["", /New name/],
      ] as const) {
        const res = await postForm("/snippets/outer", { intent: "rename", newName });
        expect(res.status, newName).toBeGreaterThanOrEqual(400);
        expect(res.status, newName).toBeLessThan(500);
        expect(await res.text()).toMatch(message);
      }
      expect(await db.snippet.count({ where: { name: "outer", deletedAt: null } })).toBe(1);
    },
  );

  it.skipIf(skip)("renaming a snippet (through its page) changes no existing version", async () => {
    const res = await postForm("/snippets/outer", { intent: "rename", newName: "outer_renamed" });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/snippets/outer_renamed?renamed=outer");
    expect(await db.snippet.count({ where: { name: "outer" } })).toBe(0);
    for (const selector of [{ label: "production" }, { version: 1 }])
      expect(await render("pinned-reply", selector)).toEqual({
        status: 200,
        body: expect.objectContaining({ text: expected }),
      });
    // The model function is the same rule: renaming back and forth changes nothing either.
    await renameSnippet(db, { name: "outer_renamed", newName: "outer_tmp" });
    await renameSnippet(db, { name: "outer_tmp", newName: "outer_renamed" });
    for (const selector of [{ label: "production" }, { version: 1 }])
      expect((await render("pinned-reply", selector)).body.text).toBe(expected);
  });

  it.skipIf(skip)("a new draft that still writes {{> oldname}} is refused, naming the new name", async () => {
    const err = await saveVersion(db, {
      promptId,
      baseVersion: 1,
      draft: draft("Answer {{question}}.\n{{> sig}} {{> outer}}"),
    }).catch((e: unknown) => e);
    expect((err as Error).message).toBe(
      'Line 2: snippet "outer" was renamed to "outer_renamed" — write {{> outer_renamed}} (saved versions keep what they pinned)',
    );
    expect(await db.promptVersion.count({ where: { promptId } })).toBe(1);
    // A new prompt too.
    const created = await createPrompt(db, {
      meta: { name: "Old name user", description: "", folder: "", tags: [] },
      draft: draft("{{> outer}}"),
    }).catch((e: unknown) => e);
    expect((created as Error).message).toMatch(/snippet "outer" was renamed to "outer_renamed"/);
    expect(await db.prompt.count({ where: { name: "Old name user" } })).toBe(0);
    // With the new name it saves and pins the renamed snippet under its new name.
    const other = await db.prompt.findUniqueOrThrow({ where: { id: looseId } });
    await saveVersion(db, {
      promptId: looseId,
      baseVersion: other.headVersion,
      draft: draft("{{question}} {{> outer_renamed}}"),
    });
    const v = await render("unlabelled-user", { version: other.headVersion + 1 });
    expect(v).toEqual({ status: 200, body: expect.objectContaining({ text: "why [outer v1 (inner v2)]" }) });
  });

  it.skipIf(skip)("trashing a snippet a labelled version pins is refused, naming the versions", async () => {
    const err = await trashSnippet(db, "sig").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConflictError);
    expect((err as Error).message).toMatch(/"Pinned reply" v1 \(production\)/);
    // Through the snippet page's form too: a 409 with the same words, never a 5xx.
    const res = await fetch(`${server.baseUrl}/snippets/sig`, {
      method: "POST",
      body: new URLSearchParams({ intent: "trash" }),
      headers: { "content-type": "application/x-www-form-urlencoded" },
      redirect: "manual",
    });
    expect(res.status).toBe(409);
    expect(await db.snippet.count({ where: { name: "sig", deletedAt: null } })).toBe(1);
  });

  it.skipIf(skip)(
    "trashing a snippet only unlabelled versions use is allowed and changes nothing they render",
    async () => {
      const before = await render("unlabelled-user", { version: 1 });
      expect(before.body.text).toBe("why loose v1");
      await trashSnippet(db, "loose");
      expect(await render("unlabelled-user", { version: 1 })).toEqual(before);
      expect(looseId).not.toBe("");
    },
  );

  it.skipIf(skip)("a new save pins the newest snippet versions; the old version keeps its pins", async () => {
    await saveVersion(db, { promptId, baseVersion: 1, draft: draft("Answer {{question}}.\n{{> sig}}") });
    const v2 = await render("pinned-reply", { version: 2 });
    expect(v2.status).toBe(422);
    expect(JSON.stringify(v2.body)).toMatch(/agent_name/);
    expect((await render("pinned-reply", { label: "production" })).body.text).toBe(expected);
    const deps = await snippetDependents(db, (await db.snippet.findUniqueOrThrow({ where: { name: "sig" } })).id);
    expect(deps.map((d) => [d.version, d.isHead, d.labels, d.pinnedNumber])).toEqual([
      [2, true, [], 2],
      [1, false, ["production"], 1],
    ]);
  });

  it.skipIf(skip)(
    "after a rename, updating dependents writes the new name in their templates and pins the newest version",
    async () => {
      await createSnippet(db, { name: "greet", template: "Hello" });
      const { prompt } = await createPrompt(db, {
        meta: { name: "Greeter", description: "", folder: "", tags: [] },
        draft: draft("{{> greet}}, {{question}}? {{#if team}}{{> greet}} from {{team}}{{/if}}"),
      });
      await saveDefaultTestValues(db, prompt.slug, { question: "why" });
      await renameSnippet(db, { name: "greet", newName: "salute" });
      await saveSnippet(db, { name: "salute", baseVersion: 1, input: { name: "salute", template: "Hi" } });
      const preview = await previewDependentUpdates(db, "salute");
      const greeter = preview.updates.find((u) => u.slug === prompt.slug);
      expect(greeter).toMatchObject({ version: 1, pinnedNumber: 1, includedAs: "greet", problems: [] });
      // The page says so, next to the rendered change.
      const page = await (await fetch(`${server.baseUrl}/snippets/salute/update`)).text();
      expect(page).toContain("Includes it by its old name, <code>{{&gt; greet}}</code>");
      expect(greeter!.ops.filter((o) => o.op !== "eq").map((o) => [o.op, o.text])).toEqual(
        expect.arrayContaining([
          ["del", expect.stringContaining("Hello")],
          ["add", expect.stringContaining("Hi")],
        ]),
      );
      const { made } = await applyDependentUpdates(db, "salute", [prompt.slug]);
      expect(made).toEqual([{ slug: prompt.slug, version: 2 }]);
      const v2 = await db.promptVersion.findFirstOrThrow({
        where: { promptId: prompt.id, number: 2 },
        include: { sections: true, snippetPins: true },
      });
      expect(v2.sections[0]!.template).toBe(
        "{{> salute}}, {{question}}? {{#if team}}{{> salute}} from {{team}}{{/if}}",
      );
      expect(v2.snippetPins.map((p) => [p.name, p.snippetNumber])).toEqual([["salute", 2]]);
      expect((await render(prompt.slug, { version: 2 })).body.text).toBe("Hi, why? Hi from Acme");
      // Version 1 still renders what it pinned under the old name.
      expect((await render(prompt.slug, { version: 1 })).body.text).toBe("Hello, why? Hello from Acme");
    },
  );
});
