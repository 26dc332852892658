/**
 * The audit log (issue 12), in both databases: each kind of write records exactly one event with
 * the actor (user, token, e-mail) and address it was given, in the write's transaction — a write
 * that fails records nothing, and an audit row that cannot be written undoes the write. Filters and
 * cursor paging of the admin list. No app code updates or deletes an audit row.
 */
import fs from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { changePassword, createLink, revokeSessions, setActive, setApprover, setRole } from "~/models/accounts.server";
import { createApiToken, revokeApiToken } from "~/models/api-tokens.server";
import { AUDIT_ACTIONS, listAudit, parseAuditQuery, type Actor } from "~/models/audit.server";
import { resolveConflict, saveOrStash } from "~/models/conflict.server";
import { restoreVersion } from "~/models/history.server";
import { moveLabel, setLabelProtection } from "~/models/labels.server";
import {
  createFolder,
  deleteFolder,
  duplicatePrompt,
  mergeTags,
  movePrompts,
  renameTag,
  setVisibility,
  tagPrompts,
  trashPrompts,
  updateDetails,
} from "~/models/organize.server";
import { createPrompt, saveVersion } from "~/models/prompt-store.server";
import { createSnippet, renameSnippet, saveSnippet } from "~/models/snippets.server";
import {
  deletePromptForever,
  deleteSnippetForever,
  purgeExpiredTrash,
  restorePrompt,
  restoreSnippet,
  trashSnippet,
} from "~/models/trash.server";
import type { PromptDraft } from "~/prompt/draft";
import { hashPassword } from "~/server/auth/password.server";
import { ROOT } from "../support/paths";
import { failWrites, INJECTED_FAILURE } from "../support/fail-writes";
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from "../support/databases";

const draft = (text: string): PromptDraft => ({
  sections: [{ id: "t", kind: "task", title: "Task", template: text, enabled: true, examples: [] }],
  variables: [],
  modelSettings: { model: "gpt-4o", stop: [] },
});
const meta = (name: string) => ({ name, description: "", folder: "", tags: [] });

describe.each(DATABASE_KINDS)("audit log — $label", ({ kind, skip }) => {
  let t: TestDatabase;
  let admin: Actor;
  let editor: Actor;
  let editorId: string;

  beforeEach(async () => {
    if (skip) return;
    t = await createTestDatabase(kind);
    const a = await t.db.user.create({ data: { email: "admin@example.test", name: "A", role: "admin" } });
    const e = await t.db.user.create({ data: { email: "editor@example.test", name: "E", role: "editor" } });
    editorId = e.id;
    admin = { id: a.id, role: "admin", label: a.email, address: "203.0.113.7" };
    editor = { id: e.id, role: "editor", label: e.email, address: "198.51.100.2", tokenId: null };
  });
  afterEach(async () => {
    await t?.cleanup();
  });

  /** Runs `write` and returns the events it recorded. */
  async function eventsOf(write: () => Promise<unknown>) {
    const before = new Set((await t.db.auditEvent.findMany({ select: { id: true } })).map((e) => e.id));
    await write();
    return (await t.db.auditEvent.findMany({ orderBy: { at: "asc" } })).filter((e) => !before.has(e.id));
  }

  async function expectOne(write: () => Promise<unknown>, action: string, actor: Actor, target?: string) {
    const events = await eventsOf(write);
    expect(
      events.map((e) => e.action),
      action,
    ).toEqual([action]);
    const [event] = events;
    expect(event!.actorId, action).toBe(actor.id);
    expect(event!.actorLabel, action).toBe(actor.label ?? "");
    expect(event!.address, action).toBe(actor.address ?? "");
    expect(event!.tokenId, action).toBe(actor.tokenId ?? null);
    if (target) expect(`${event!.targetType}:${event!.targetName}`, action).toBe(target);
    expect(() => JSON.parse(event!.details), action).not.toThrow();
    return event!;
  }

  it.skipIf(skip)("each kind of write records exactly one event with the actor and address", async () => {
    const create = await expectOne(
      () => createPrompt(t.db, { meta: meta("Greeter"), draft: draft("Hi"), actor: editor }),
      "prompt.create",
      editor,
      "prompt:Greeter",
    );
    const prompt = await t.db.prompt.findUniqueOrThrow({ where: { id: create.targetId } });
    expect(prompt.ownerId).toBe(editorId);
    const save = await expectOne(
      () => saveVersion(t.db, { promptId: prompt.id, baseVersion: 1, draft: draft("Hi 2"), actor: editor }),
      "version.save",
      editor,
    );
    expect(JSON.parse(save.details)).toEqual({ version: 2 });
    expect((await t.db.promptVersion.findFirstOrThrow({ where: { promptId: prompt.id, number: 2 } })).authorId).toBe(
      editorId,
    );
    await expectOne(
      () =>
        saveOrStash(t.db, {
          slug: prompt.slug,
          promptId: prompt.id,
          baseVersion: 2,
          draft: draft("Hi 3"),
          actor: editor,
        }),
      "version.save",
      editor,
    );
    await expectOne(
      () => restoreVersion(t.db, { slug: prompt.slug, number: 1, baseVersion: 3, actor: editor }),
      "version.restore",
      editor,
    );
    // A conflict stashes the draft (no event); resolving it saves (one event).
    const stashed = await eventsOf(() =>
      saveOrStash(t.db, {
        slug: prompt.slug,
        promptId: prompt.id,
        baseVersion: 2,
        draft: draft("Late"),
        actor: editor,
      }),
    );
    expect(stashed).toEqual([]);
    const stash = await t.db.conflictDraft.findFirstOrThrow();
    await expectOne(
      () =>
        resolveConflict(t.db, { slug: prompt.slug, id: stash.id, action: "overwrite", headVersion: 4, actor: editor }),
      "version.save",
      editor,
    );
    await expectOne(
      () => updateDetails(t.db, prompt.id, { name: "Greeter 2", description: "d", tags: ["a"] }, editor),
      "prompt.details",
      editor,
      "prompt:Greeter 2",
    );
    await expectOne(() => tagPrompts(t.db, [prompt.id], ["b"], "add", editor), "prompt.tag", editor);
    await expectOne(() => movePrompts(t.db, [prompt.id], "team/support", editor), "prompt.move", editor);
    await expectOne(() => setVisibility(t.db, prompt.id, "private", editor), "prompt.visibility", editor);
    await expectOne(
      () =>
        moveLabel(t.db, {
          promptId: prompt.id,
          name: "staging",
          version: 2,
          actor: editor,
          authEnabled: true,
        }),
      "label.move",
      editor,
      "label:Greeter 2 · staging",
    );
    await expectOne(
      () =>
        setLabelProtection(t.db, {
          promptId: prompt.id,
          name: "staging",
          protected: true,
          actor: admin,
          authEnabled: true,
        }),
      "label.protect",
      admin,
    );
    await expectOne(
      () => moveLabel(t.db, { promptId: prompt.id, name: "staging", version: 3, actor: admin, authEnabled: true }),
      "label.move",
      admin,
    );
    await expectOne(() => duplicatePrompt(t.db, prompt.slug, editor), "prompt.duplicate", editor);
    await expectOne(() => renameTag(t.db, "a", "alpha", editor), "tag.rename", editor, "tag:alpha");
    await expectOne(() => mergeTags(t.db, ["b"], "alpha", editor), "tag.merge", editor);
    await expectOne(() => createFolder(t.db, "empty", editor), "folder.create", editor, "folder:empty");
    await expectOne(() => deleteFolder(t.db, "empty", editor), "folder.delete", editor);
    await expectOne(() => trashPrompts(t.db, [prompt.id], new Date(), editor), "prompt.trash", editor);
    await expectOne(() => restorePrompt(t.db, prompt.id, editor), "prompt.restore", editor);
    await trashPrompts(t.db, [prompt.id], new Date(), editor);
    await expectOne(() => deletePromptForever(t.db, prompt.id, admin), "prompt.purge", admin, "prompt:Greeter 2");

    const snippet = await t.db.snippet.findUnique({ where: { name: "tone" } });
    expect(snippet).toBeNull();
    await expectOne(
      () => createSnippet(t.db, { name: "tone", template: "Be warm." }, editor),
      "snippet.create",
      editor,
    );
    await expectOne(
      () =>
        saveSnippet(t.db, {
          name: "tone",
          baseVersion: 1,
          input: { name: "tone", template: "Be kind." },
          actor: editor,
        }),
      "snippet.save",
      editor,
    );
    await expectOne(
      () => renameSnippet(t.db, { name: "tone", newName: "voice", actor: editor }),
      "snippet.rename",
      editor,
    );
    await expectOne(() => trashSnippet(t.db, "voice", new Date(), editor), "snippet.trash", editor);
    const voice = await t.db.snippet.findUniqueOrThrow({ where: { name: "voice" } });
    await expectOne(() => restoreSnippet(t.db, voice.id, editor), "snippet.restore", editor);
    await trashSnippet(t.db, "voice", new Date(), editor);
    await expectOne(() => deleteSnippetForever(t.db, voice.id, admin), "snippet.purge", admin, "snippet:voice");

    // Accounts, sessions, tokens.
    await expectOne(() => setRole(t.db, editorId, "viewer", admin), "user.role", admin, "user:editor@example.test");
    await setRole(t.db, editorId, "editor", admin);
    await expectOne(() => setApprover(t.db, editorId, true, admin), "user.approver", admin);
    await expectOne(() => createLink(t.db, { kind: "invite", role: "editor" }, admin), "user.invite", admin);
    await expectOne(() => createLink(t.db, { kind: "reset", userId: editorId }, admin), "user.reset-link", admin);
    let tokenId = "";
    await expectOne(
      async () => {
        tokenId = (
          await createApiToken(
            t.db,
            { id: editorId, role: "editor" },
            { name: "ci", scopes: ["read"], labels: "" },
            editor,
          )
        ).id;
      },
      "token.create",
      editor,
    );
    await expectOne(() => revokeApiToken(t.db, tokenId, editorId, editor), "token.revoke", editor);
    await t.db.session.create({
      data: { tokenHash: "h1", userId: editorId, expiresAt: new Date(Date.now() + 60_000) },
    });
    await expectOne(() => revokeSessions(t.db, { userId: editorId }, admin), "session.revoke-all", admin);
    await expectOne(() => setActive(t.db, editorId, false, admin), "user.deactivate", admin);
    await expectOne(() => setActive(t.db, editorId, true, admin), "user.activate", admin);
    await t.db.user.update({
      where: { id: editorId },
      data: { passwordHash: await hashPassword("correct horse editor battery") },
    });
    await expectOne(
      () =>
        changePassword(
          t.db,
          editorId,
          { current: "correct horse editor battery", next: "another long passphrase here" },
          editor,
        ),
      "user.password-change",
      editor,
    );
  });

  it.skipIf(skip)("an API token is recorded with its user; the system purge with no user", async () => {
    const token: Actor = { ...editor, tokenId: "tok_1" };
    const e = await expectOne(
      () => createPrompt(t.db, { meta: meta("By token"), draft: draft("Hi"), actor: token }),
      "prompt.create",
      token,
    );
    expect(e.tokenId).toBe("tok_1");
    const old = new Date(Date.now() - 40 * 24 * 60 * 60 * 1000);
    await trashPrompts(t.db, [e.targetId], old, editor);
    const purged = await eventsOf(() => purgeExpiredTrash(t.db));
    expect(purged.map((p) => [p.action, p.actorId, p.actorLabel, p.targetId])).toEqual([
      ["prompt.purge", null, "system", e.targetId],
    ]);
  });

  it.skipIf(skip)(
    "a write that fails records nothing (also a bulk write refused part-way); an audit row that cannot be written undoes the write",
    async () => {
      const { prompt } = await createPrompt(t.db, { meta: meta("Greeter"), draft: draft("Hi"), actor: editor });
      await moveLabel(t.db, {
        promptId: prompt.id,
        name: "production",
        version: 1,
        actor: admin,
        authEnabled: true,
        protect: true,
      });
      const count = await t.db.auditEvent.count();
      // Refused: a save over a newer version, an editor moving a protected label, a bad tag name.
      await expect(
        saveVersion(t.db, { promptId: prompt.id, baseVersion: 0, draft: draft("x"), actor: editor }),
      ).rejects.toThrow();
      await saveVersion(t.db, { promptId: prompt.id, baseVersion: 1, draft: draft("v2"), actor: editor });
      const afterSave = await t.db.auditEvent.count();
      expect(afterSave).toBe(count + 1);
      await expect(
        moveLabel(t.db, { promptId: prompt.id, name: "production", version: 2, actor: editor, authEnabled: true }),
      ).rejects.toThrow(/protected/);
      await expect(tagPrompts(t.db, [prompt.id, "no-such-id"], ["b"], "add", editor)).rejects.toThrow(
        /no longer exist/,
      );
      await expect(deletePromptForever(t.db, prompt.id, admin)).rejects.toThrow(/trash/);
      expect(await t.db.auditEvent.count()).toBe(afterSave);
      // The audit insert fails: the write it belongs to is undone with it.
      await failWrites(t, "AuditEvent", "INSERT");
      await expect(
        saveVersion(t.db, { promptId: prompt.id, baseVersion: 2, draft: draft("v3"), actor: editor }),
      ).rejects.toThrow(INJECTED_FAILURE);
      expect(await t.db.promptVersion.count({ where: { promptId: prompt.id } })).toBe(2);
      await expect(
        moveLabel(t.db, { promptId: prompt.id, name: "production", version: 2, actor: admin, authEnabled: true }),
      ).rejects.toThrow(INJECTED_FAILURE);
      expect((await t.db.label.findFirstOrThrow({ where: { name: "production" } })).versionId).toBe(
        (await t.db.promptVersion.findFirstOrThrow({ where: { promptId: prompt.id, number: 1 } })).id,
      );
      await expect(trashPrompts(t.db, [prompt.id], new Date(), editor)).rejects.toThrow(INJECTED_FAILURE);
      expect((await t.db.prompt.findUniqueOrThrow({ where: { id: prompt.id } })).deletedAt).toBeNull();
      await expect(setRole(t.db, editorId, "viewer", admin)).rejects.toThrow(INJECTED_FAILURE);
      expect((await t.db.user.findUniqueOrThrow({ where: { id: editorId } })).role).toBe("editor");
    },
  );

  it.skipIf(skip)("lists newest first with filters and cursor paging", async () => {
    const { prompt } = await createPrompt(t.db, { meta: meta("Alpha"), draft: draft("1"), actor: editor });
    for (let v = 1; v <= 4; v++)
      await saveVersion(t.db, {
        promptId: prompt.id,
        baseVersion: v,
        draft: draft(`${v + 1}`),
        actor: v % 2 ? editor : admin,
      });
    await createPrompt(t.db, { meta: meta("Beta"), draft: draft("1"), actor: admin });
    const all = await listAudit(t.db, parseAuditQuery(new URLSearchParams()));
    expect(all.events.map((e) => e.action)).toEqual([
      "prompt.create",
      "version.save",
      "version.save",
      "version.save",
      "version.save",
      "prompt.create",
    ]);
    expect(all.nextCursor).toBeNull();
    const q = (s: string) => listAudit(t.db, parseAuditQuery(new URLSearchParams(s)), 2);
    expect((await q("actor=admin@")).events.every((e) => e.actorLabel === "admin@example.test")).toBe(true);
    expect((await q("action=prompt")).events.map((e) => e.targetName)).toEqual(["Beta", "Alpha"]);
    expect((await q("action=version.save&target=Alpha")).events).toHaveLength(2);
    // Paging through every save, two at a time, visits each once.
    const seen: string[] = [];
    let cursor = "";
    for (let i = 0; i < 5; i++) {
      const page = await q(`action=version.save${cursor ? `&cursor=${cursor}` : ""}`);
      seen.push(...page.events.map((e) => e.id));
      if (!page.nextCursor) break;
      cursor = page.nextCursor;
    }
    expect(new Set(seen).size).toBe(4);
    const today = new Date().toISOString().slice(0, 10);
    expect(
      (await listAudit(t.db, parseAuditQuery(new URLSearchParams(`from=${today}&to=${today}`)))).events,
    ).toHaveLength(6);
    expect((await listAudit(t.db, parseAuditQuery(new URLSearchParams("to=2000-01-01")))).events).toHaveLength(0);
    expect(() => parseAuditQuery(new URLSearchParams("from=yesterday"))).toThrow(/date/);
    expect(() => parseAuditQuery(new URLSearchParams("action=no.such-thing!"))).toThrow();
  });
});

describe("the audit log is append-only", () => {
  it("no code in app/ or scripts/ updates or deletes an AuditEvent", () => {
    // One exception: `npm run db:transfer -- --force` empties the TARGET database before copying the
    // source into it, audit log included (the operator asks for it on the command line; the source's
    // log replaces the target's). Nothing in the app's own requests can reach it.
    const allowed = new Set([path.join(ROOT, "app", "models", "db-transfer.server.ts")]);
    const offenders: string[] = [];
    const walk = (dir: string) => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, entry.name);
        if (entry.isDirectory()) {
          if (entry.name !== "generated" && entry.name !== "node_modules") walk(p);
        } else if (/\.(ts|tsx)$/.test(entry.name)) {
          const text = fs.readFileSync(p, "utf8");
          if (allowed.has(p)) continue;
          if (/auditEvent\.(update|updateMany|upsert|delete|deleteMany)\b/.test(text)) offenders.push(p);
          if (/(UPDATE|DELETE FROM)\s+"?AuditEvent/i.test(text)) offenders.push(p);
        }
      }
    };
    walk(path.join(ROOT, "app"));
    walk(path.join(ROOT, "scripts"));
    expect(offenders).toEqual([]);
  });

  it("every action is named once, as group.verb", () => {
    expect(new Set(AUDIT_ACTIONS).size).toBe(AUDIT_ACTIONS.length);
    for (const a of AUDIT_ACTIONS) expect(a).toMatch(/^[a-zA-Z]+\.[a-z-]+$/);
  });
});
