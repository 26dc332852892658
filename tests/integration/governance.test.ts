/**
 * Issue 9's governance through the real server, on SQLite and PostgreSQL: only renderable versions
 * get a label (the form says why), test values saved on the server, "update dependents", and the
 * §6 defects (label form, unchanged save, restore from the trash).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "~/server/db.server";
import { createPrompt, saveVersion } from "~/models/prompt-store.server";
import { createSnippet, saveSnippet } from "~/models/snippets.server";
import { trashPrompts } from "~/models/organize.server";
import type { PromptDraft } from "~/prompt/draft";
import { DATABASE_KINDS } from "../support/databases";
import { startServer, type RunningServer } from "../support/server";

/** The API's base path: one line to change when it moves (issue 8 moves it to /api/v1). */
const API = "/api/v1";

const draft = (template: string, settings: Partial<PromptDraft["modelSettings"]> = {}): PromptDraft => ({
  sections: [{ kind: "task", title: "Task", template, enabled: true, examples: [] }],
  variables: [{ name: "customer", type: "string", required: true, enumValues: [], description: "" }],
  modelSettings: { model: "gpt-4o", stop: [], ...settings },
});

const text = (html: string) =>
  html
    .replace(/<!-- -->/g, "")
    .replace(/&quot;/g, '"')
    .replace(/&#x27;/g, "'")
    .replace(/&amp;/g, "&");

describe.each(DATABASE_KINDS)("governance — $label", ({ kind, skip }) => {
  let server: RunningServer;
  let db: Db;
  let promptId = "";
  beforeAll(async () => {
    if (skip) return;
    server = await startServer({ database: kind, seed: false });
    db = createDb(server.databaseUrl).db;
    await createSnippet(db, { name: "sig", template: "Regards, support" });
    const { prompt } = await createPrompt(db, {
      meta: { name: "Gate", description: "", folder: "", tags: [] },
      draft: draft("Hello {{customer}}. {{> sig}}"),
    });
    promptId = prompt.id;
  }, 120_000);
  afterAll(async () => {
    await db?.$disconnect();
    await server?.stop();
  });

  const post = (path: string, fields: Record<string, string>) =>
    fetch(`${server.baseUrl}${path}`, { method: "POST", body: new URLSearchParams(fields), redirect: "manual" });
  const moveLabel = (fields: Record<string, string>) => post("/prompts/gate", { intent: "label", ...fields });
  const labels = async () =>
    Object.fromEntries(
      (await db.label.findMany({ where: { promptId }, include: { version: true } })).map((l) => [
        l.name,
        l.version.number,
      ]),
    );

  it.skipIf(skip)(
    "a label is refused for a version that does not render with its defaults and test values, in words",
    async () => {
      const res = await moveLabel({ name: "production", version: "1" });
      expect(res.status).toBe(422);
      expect(text(await res.text())).toMatch(/"production" cannot point at version 1: .*"customer" is required/);
      expect(await labels()).toEqual({});
    },
  );

  it.skipIf(skip)("test values saved on the server make it renderable, and the edit page opens with them", async () => {
    const saved = await fetch(`${server.baseUrl}/prompts/gate/test-values`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ values: { customer: "Ada" } }),
    });
    expect(saved.status).toBe(200);
    // Another browser (no localStorage) gets them from the page.
    const page = await fetch(`${server.baseUrl}/prompts/gate/edit`);
    expect(await page.text()).toMatch(/aria-label="Preview value for customer"[^>]* value="Ada"/);
    expect((await moveLabel({ name: "production", version: "1" })).status).toBe(302);
    expect(await labels()).toEqual({ production: 1 });
    // Bad values are a 4xx problem, never a 5xx.
    const bad = await fetch(`${server.baseUrl}/prompts/gate/test-values`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ values: { "not a name": 1 } }),
    });
    expect(bad.status).toBe(422);
  });

  it.skipIf(skip)("a version whose settings its model rejects can be saved but not labelled", async () => {
    await saveVersion(db, {
      promptId,
      baseVersion: 1,
      draft: draft("Hello {{customer}}! {{> sig}}", { model: "gpt-5.1", temperature: 0.5 }),
    });
    const res = await moveLabel({ name: "production", version: "2" });
    expect(res.status).toBe(422);
    expect(text(await res.text())).toMatch(/does not accept temperature/);
    expect(await labels()).toEqual({ production: 1 });
  });

  it.skipIf(skip)("the label form moves the label picked in the list, never a leftover typed name", async () => {
    // Both filled (typed "canary", then picked "staging"): refused, nothing moves — it used to move canary.
    const both = await moveLabel({ name: "staging", customName: "canary", version: "1" });
    expect(both.status).toBe(422);
    expect(text(await both.text())).toMatch(/not both/);
    expect(await labels()).toEqual({ production: 1 });
    expect((await moveLabel({ name: "staging", customName: "", version: "1" })).status).toBe(302);
    expect((await moveLabel({ name: "", customName: "canary", version: "1" })).status).toBe(302);
    expect(await labels()).toEqual({ production: 1, staging: 1, canary: 1 });
  });

  it.skipIf(skip)("saving with no change is refused with a clear message and creates no version", async () => {
    const head = (await db.prompt.findUniqueOrThrow({ where: { id: promptId } })).headVersion;
    const v = await db.promptVersion.findUniqueOrThrow({
      where: { promptId_number: { promptId, number: head } },
      include: { sections: true, variables: true },
    });
    const same = {
      sections: v.sections.map((s) => ({
        id: s.key,
        kind: s.kind,
        title: s.title,
        template: s.template,
        enabled: s.enabled,
        examples: [],
      })),
      variables: [{ name: "customer", type: "string", required: true, enumValues: [], description: "" }],
      modelSettings: JSON.parse(v.modelSettings),
    };
    const res = await post("/prompts/gate/edit", {
      draft: JSON.stringify(same),
      baseVersion: String(head),
      message: "",
    });
    expect(res.status).toBe(409);
    expect(text(await res.text())).toMatch(new RegExp(`Nothing changed since version ${head}`));
    expect((await db.prompt.findUniqueOrThrow({ where: { id: promptId } })).headVersion).toBe(head);
  });

  it.skipIf(skip)("update dependents: diff and problems per prompt, new versions pinned, no label moved", async () => {
    await saveSnippet(db, { name: "sig", baseVersion: 1, input: { name: "sig", template: "Regards, {{agent}}" } });
    const page = text(await (await fetch(`${server.baseUrl}/snippets/sig`)).text());
    expect(page).toMatch(/Version 2 is not yet used by labelled versions/);
    const review = text(await (await fetch(`${server.baseUrl}/snippets/sig/update`)).text());
    expect(review).toMatch(/agent/); // the new snippet needs a variable Gate does not declare
    expect(review).toMatch(/<del>[^<]*support[^<]*<\/del>/);
    const head = (await db.prompt.findUniqueOrThrow({ where: { id: promptId } })).headVersion;
    const res = await post("/snippets/sig/update", { slug: "gate" });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/snippets/sig?updated=1");
    const after = await db.prompt.findUniqueOrThrow({ where: { id: promptId } });
    expect(after.headVersion).toBe(head + 1);
    const pin = await db.versionSnippetPin.findFirstOrThrow({
      where: { version: { promptId, number: head + 1 }, name: "sig" },
    });
    expect(pin.snippetNumber).toBe(2);
    expect(await labels()).toEqual({ production: 1, staging: 1, canary: 1 });
    // The labelled version still renders what it pinned; the new one names the missing variable.
    const render = (sel: Record<string, unknown>) =>
      fetch(`${server.baseUrl}${API}/prompts/gate/render`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ ...sel, target: "plain", variables: { customer: "Bo" } }),
      });
    expect(((await (await render({ label: "production" })).json()) as { text: string }).text).toBe(
      "Hello Bo. Regards, support",
    );
    expect((await render({ version: head + 1 })).status).toBe(422);
  });

  it.skipIf(skip)("restoring from the trash says so, and says why it renamed", async () => {
    const a = await createPrompt(db, {
      meta: { name: "Twin", description: "", folder: "", tags: [] },
      draft: draft("A {{customer}}"),
    });
    await trashPrompts(db, [a.prompt.id]);
    await createPrompt(db, {
      meta: { name: "Twin", description: "", folder: "", tags: [] },
      draft: draft("B {{customer}}"),
    });
    const res = await post("/trash", { intent: "restore-prompt", id: a.prompt.id });
    expect(res.status).toBe(302);
    const page = text(await (await fetch(`${server.baseUrl}${res.headers.get("location")}`)).text());
    expect(page).not.toMatch(/Details saved/);
    expect(page).toMatch(
      /Restored from the trash as "Twin \(restored\)": another prompt in its folder is now called "Twin"/,
    );
  });
});
