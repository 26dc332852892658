/**
 * History, compare, restore, labels (audit, protection), save conflicts (two concurrent saves,
 * merge, overwrite), snippets (cycles, used by) and the trash (restore, purge after 30 days), in
 * both databases.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { comparePrompts } from "~/models/compare.server";
import { getConflict, resolveConflict, saveOrStash } from "~/models/conflict.server";
import { getHistory, restoreVersion } from "~/models/history.server";
import { moveLabel, setLabelProtection } from "~/models/labels.server";
import { trashPrompts } from "~/models/organize.server";
import { createPrompt, getPromptForEdit, saveVersion } from "~/models/prompt-store.server";
import { DomainError, VersionConflictError } from "~/prompt/errors";
import { saveDefaultTestValues } from "~/models/test-values.server";
import { problemFor } from "~/server/http/problem.server";
import { createSnippet, getSnippet, saveSnippet } from "~/models/snippets.server";
import { deletePromptForever, listTrash, purgeExpiredTrash, restorePrompt, trashSnippet } from "~/models/trash.server";
import type { PromptDraft, Section } from "~/prompt/draft";
import { failWrites, INJECTED_FAILURE } from "../support/fail-writes";
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from "../support/databases";

const sec = (id: string, template: string, title = id): Section => ({
  id,
  kind: "custom",
  title,
  template,
  enabled: true,
  examples: [],
});
const draft = (sections: Section[], temperature = 0.2): PromptDraft => ({
  sections,
  variables: [{ name: "name", type: "string", required: true, enumValues: [], description: "" }],
  modelSettings: { model: "gpt-4o", temperature, stop: [] },
});

async function fieldError(p: Promise<unknown>) {
  const e = await p.then(
    () => null,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(DomainError);
  // As a page or the API would answer it.
  const problem = problemFor(e)!;
  return { status: problem.status, message: problem.error, path: problem.issues[0]!.path };
}

describe.each(DATABASE_KINDS)("library history — $label", ({ kind, skip }) => {
  let t: TestDatabase;
  let promptId: string;
  beforeEach(async () => {
    if (skip) return;
    t = await createTestDatabase(kind);
    const { prompt } = await createPrompt(t.db, {
      meta: { name: "Greeter", description: "", folder: "", tags: [] },
      draft: draft([sec("role", "You are kind."), sec("task", "Greet {{name}} warmly.")]),
      message: "first",
    });
    promptId = prompt.id;
  });
  afterEach(async () => {
    await t?.cleanup();
  });

  it.skipIf(skip)(
    "lists versions newest first with cursors, compares two and restores an old one as a new version",
    async () => {
      for (let i = 2; i <= 5; i++) {
        await saveVersion(t.db, {
          promptId,
          baseVersion: i - 1,
          draft: draft([sec("task", `Greet {{name}} v${i}.`), sec("role", "You are kind.")], 0.2 + i / 10),
          message: `v${i}`,
        });
      }
      const first = await getHistory(t.db, "greeter", { limit: 3 });
      expect(first.versions.map((v) => v.number)).toEqual([5, 4, 3]);
      const second = await getHistory(t.db, "greeter", { limit: 3, cursor: first.nextCursor! });
      expect(second.versions.map((v) => v.number)).toEqual([2, 1]);
      expect(second.nextCursor).toBeNull();
      expect(second.versions[1]).toMatchObject({ message: "first", author: null });

      const cmp = await comparePrompts(t.db, "greeter", 1, 5, { values: { name: "Ada" } });
      expect(cmp.diff.summary).toMatchObject({ changed: 1, moved: 1, settings: 1 });
      const task = cmp.diff.sections.find((s) => s.after?.id === "task")!;
      expect(
        task.text
          .filter((o) => o.op === "add")
          .map((o) => o.text)
          .join(""),
      ).toContain("v5");
      expect(
        cmp.rendered.ops
          .filter((o) => o.op !== "add")
          .map((o) => o.text)
          .join(""),
      ).toBe("You are kind.\n\nGreet Ada warmly.");
      expect((await fieldError(comparePrompts(t.db, "greeter", 1, 99))).status).toBe(404);

      const restored = await restoreVersion(t.db, { slug: "greeter", number: 1, baseVersion: 5 });
      expect(restored.number).toBe(6);
      const head = await getPromptForEdit(t.db, "greeter");
      expect(head!.draft.sections.map((s) => s.template)).toEqual(["You are kind.", "Greet {{name}} warmly."]);
      expect(head!.version.message).toBe("Restored version 1");
      // Restoring from a stale page is a conflict, not a silent overwrite.
      await expect(restoreVersion(t.db, { slug: "greeter", number: 2, baseVersion: 5 })).rejects.toBeInstanceOf(
        VersionConflictError,
      );
    },
  );

  it.skipIf(skip)(
    "moves labels with an audit trail, refuses another prompt's version and guards protected labels",
    async () => {
      await saveVersion(t.db, { promptId, baseVersion: 1, draft: draft([sec("task", "v2")]) });
      // A label points only at a version that renders with its defaults and saved test values.
      await saveDefaultTestValues(t.db, "greeter", { name: "Ada" });
      const created = await moveLabel(t.db, {
        promptId,
        name: "production",
        version: 1,
        actor: null,
        authEnabled: false,
      });
      expect(created).toMatchObject({ moved: true, from: null, to: 1 });
      expect(
        await moveLabel(t.db, { promptId, name: "production", version: 2, actor: null, authEnabled: false }),
      ).toMatchObject({ from: 1, to: 2 });
      expect(
        (await moveLabel(t.db, { promptId, name: "production", version: 2, actor: null, authEnabled: false })).moved,
      ).toBe(false);
      const history = await getHistory(t.db, "greeter");
      expect(history.events.map((e) => [e.label, e.from, e.to, e.actor])).toEqual([
        ["production", 1, 2, null],
        ["production", null, 1, null],
      ]);
      expect(history.versions.find((v) => v.number === 2)!.labels).toEqual(["production"]);

      const other = await createPrompt(t.db, {
        meta: { name: "Other", description: "", folder: "", tags: [] },
        draft: draft([sec("x", "x")]),
      });
      const wrong = await fieldError(
        moveLabel(t.db, { promptId, name: "staging", versionId: other.version.id, actor: null, authEnabled: false }),
      );
      expect(wrong).toMatchObject({ path: ["versionId"], status: 422 });
      expect(await t.db.label.count({ where: { name: "staging" } })).toBe(0);
      expect(
        (
          await fieldError(
            moveLabel(t.db, { promptId, name: "Bad Name!", version: 1, actor: null, authEnabled: false }),
          )
        ).path,
      ).toEqual(["name"]);
      expect(
        (await fieldError(moveLabel(t.db, { promptId, name: "qa", version: 9, actor: null, authEnabled: false }))).path,
      ).toEqual(["version"]);

      await setLabelProtection(t.db, {
        promptId,
        name: "production",
        protected: true,
        actor: null,
        authEnabled: false,
      });
      const editor = { id: null, role: "editor" as const };
      expect(
        (
          await fieldError(
            moveLabel(t.db, { promptId, name: "production", version: 1, actor: editor, authEnabled: true }),
          )
        ).status,
      ).toBe(403);
      expect(
        (
          await fieldError(
            setLabelProtection(t.db, {
              promptId,
              name: "production",
              protected: false,
              actor: editor,
              authEnabled: true,
            }),
          )
        ).status,
      ).toBe(403);
      // Accounts off: anyone may move it; accounts on: an admin may.
      expect(
        (await moveLabel(t.db, { promptId, name: "production", version: 1, actor: editor, authEnabled: false })).to,
      ).toBe(1);
      expect(
        (
          await moveLabel(t.db, {
            promptId,
            name: "production",
            version: 2,
            actor: { id: null, role: "admin" },
            authEnabled: true,
          })
        ).to,
      ).toBe(2);
    },
  );

  it.skipIf(skip)(
    "two concurrent saves from the same version: one wins, the other is kept for the conflict view and merged",
    async () => {
      const base = (await getPromptForEdit(t.db, "greeter"))!;
      const ids = base.draft.sections.map((s) => s.id!);
      const mine = draft([
        sec(ids[0]!, "You are kind and brief.", "role"),
        sec(ids[1]!, "Greet {{name}} warmly.", "task"),
      ]);
      const theirs = draft(
        [sec(ids[0]!, "You are kind.", "role"), sec(ids[1]!, "Greet {{name}} warmly in French.", "task")],
        0.9,
      );
      const results = await Promise.allSettled([
        saveVersion(t.db, { promptId, baseVersion: 1, draft: theirs, message: "theirs" }),
        saveVersion(t.db, { promptId, baseVersion: 1, draft: mine, message: "mine" }),
      ]);
      expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
      const refused = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
      expect(refused.reason).toBeInstanceOf(VersionConflictError);
      expect(await t.db.promptVersion.count({ where: { promptId } })).toBe(2);

      // Replay deterministically: theirs won, mine comes back through saveOrStash.
      const winner = (await getPromptForEdit(t.db, "greeter"))!;
      const loser = winner.version.message === "theirs" ? mine : theirs;
      const stashed = await saveOrStash(t.db, {
        slug: "greeter",
        promptId,
        baseVersion: 1,
        draft: loser,
        message: "late",
      });
      expect("conflictUrl" in stashed).toBe(true);
      const id = (stashed as { conflictUrl: string }).conflictUrl.split("/").pop()!;
      const view = await getConflict(t.db, "greeter", id);
      expect(view.plan.conflicts).toBe(0); // different sections changed: merges cleanly
      const merged = await resolveConflict(t.db, { slug: "greeter", id, action: "merge", headVersion: 2 });
      expect(merged.saved).toBe(3);
      const head = (await getPromptForEdit(t.db, "greeter"))!;
      expect(head.draft.sections.map((s) => s.template)).toEqual([
        "You are kind and brief.",
        "Greet {{name}} warmly in French.",
      ]);
      expect(await t.db.conflictDraft.count()).toBe(0);
    },
  );

  it.skipIf(skip)(
    "a real conflict is decided by the user; overwriting is explicit; a newer save re-opens the conflict",
    async () => {
      const base = (await getPromptForEdit(t.db, "greeter"))!;
      const [r, k] = base.draft.sections.map((s) => s.id!);
      await saveVersion(t.db, {
        promptId,
        baseVersion: 1,
        draft: draft([sec(r!, "You are kind."), sec(k!, "Greet {{name}} (theirs).")]),
        message: "theirs",
      });
      const stashed = (await saveOrStash(t.db, {
        slug: "greeter",
        promptId,
        baseVersion: 1,
        draft: draft([sec(r!, "You are kind."), sec(k!, "Greet {{name}} (mine).")]),
      })) as { conflictUrl: string };
      const id = stashed.conflictUrl.split("/").pop()!;
      const view = await getConflict(t.db, "greeter", id);
      expect(view.plan.conflicts).toBe(1);
      const key = view.plan.sections.find((s) => s.status === "conflict")!.key;
      // Someone saves again before the user decides.
      await saveVersion(t.db, {
        promptId,
        baseVersion: 2,
        draft: draft([sec(r!, "You are kind."), sec(k!, "Greet {{name}} (theirs 2).")]),
      });
      await expect(
        resolveConflict(t.db, {
          slug: "greeter",
          id,
          action: "merge",
          headVersion: 2,
          choices: { [`section:${key}`]: "theirs" },
        }),
      ).rejects.toBeInstanceOf(VersionConflictError);
      expect((await getConflict(t.db, "greeter", id)).headVersion).toBe(3);
      const saved = await resolveConflict(t.db, { slug: "greeter", id, action: "overwrite", headVersion: 3 });
      expect(saved.saved).toBe(4);
      const head = (await getPromptForEdit(t.db, "greeter"))!;
      expect(head.draft.sections[1]!.template).toBe("Greet {{name}} (mine).");
      expect(head.version.message).toBe("Overwrote version 3");
    },
  );

  it.skipIf(skip)("resolving a conflict saves and drops the kept draft together, or neither", async () => {
    const base = (await getPromptForEdit(t.db, "greeter"))!;
    const [r, k] = base.draft.sections.map((s) => s.id!);
    await saveVersion(t.db, {
      promptId,
      baseVersion: 1,
      draft: draft([sec(r!, "You are kind."), sec(k!, "Greet {{name}} (theirs).")]),
      message: "theirs",
    });
    const stashed = (await saveOrStash(t.db, {
      slug: "greeter",
      promptId,
      baseVersion: 1,
      draft: draft([sec(r!, "You are kind."), sec(k!, "Greet {{name}} (mine).")]),
    })) as { conflictUrl: string };
    const id = stashed.conflictUrl.split("/").pop()!;
    await failWrites(t, "ConflictDraft", "DELETE");
    await expect(resolveConflict(t.db, { slug: "greeter", id, action: "overwrite", headVersion: 2 })).rejects.toThrow(
      INJECTED_FAILURE,
    );
    expect((await getPromptForEdit(t.db, "greeter"))!.prompt.headVersion).toBe(2);
    expect(await t.db.promptVersion.count({ where: { promptId } })).toBe(2);
    expect((await getConflict(t.db, "greeter", id)).id).toBe(id);
  });

  it.skipIf(skip)(
    "snippets: versions, cycles refused with the path, used by prompts directly and through other snippets",
    async () => {
      await createSnippet(t.db, { name: "tone", template: "Be warm." });
      await createSnippet(t.db, { name: "signoff", template: "{{> tone}} Sign as the team." });
      expect((await fieldError(createSnippet(t.db, { name: "loop", template: "{{> loop}}" }))).message).toMatch(
        /cannot include itself/,
      );
      const cycle = await fieldError(
        saveSnippet(t.db, { name: "tone", baseVersion: 1, input: { name: "tone", template: "{{> signoff}}" } }),
      );
      expect(cycle.message).toContain('"tone" → "signoff" → "tone"');
      expect((await fieldError(createSnippet(t.db, { name: "tone", template: "x" }))).status).toBe(409);
      expect(
        (await fieldError(createSnippet(t.db, { name: "big", template: "x".repeat(10 * 1024 * 1024) }))).path,
      ).toEqual(["template"]);
      expect((await fieldError(createSnippet(t.db, { name: "", template: "x" }))).path).toEqual(["name"]);
      const stale = saveSnippet(t.db, { name: "tone", baseVersion: 0, input: { name: "tone", template: "x" } });
      await expect(stale).rejects.toBeInstanceOf(VersionConflictError);
      // The conflict says it is about the snippet, not "this prompt".
      await expect(stale).rejects.toMatchObject({
        what: "snippet",
        message: expect.stringMatching(/^This snippet was saved as version 1 /),
      });
      await saveSnippet(t.db, {
        name: "tone",
        baseVersion: 1,
        input: { name: "tone", template: "Be warm and brief.", message: "shorter" },
      });

      await saveVersion(t.db, { promptId, baseVersion: 1, draft: draft([sec("a", "{{> signoff}}")]) });
      await createPrompt(t.db, {
        meta: { name: "Direct", description: "", folder: "x", tags: [] },
        draft: draft([sec("a", "{{> tone}} Hi")]),
      });
      const tone = await getSnippet(t.db, "tone");
      expect(tone!.versions.map((v) => v.number)).toEqual([2, 1]);
      expect(tone!.usedBy.map((u) => [u.name, u.through])).toEqual([
        ["Direct", []],
        ["Greeter", ["signoff"]],
      ]);
      expect(tone!.includedBy).toEqual(["signoff"]);
    },
  );

  it.skipIf(skip)(
    "trash: restore (renamed when the name was taken), delete for good, purge after 30 days",
    async () => {
      await saveDefaultTestValues(t.db, "greeter", { name: "Ada" });
      await moveLabel(t.db, { promptId, name: "production", version: 1, actor: null, authEnabled: false });
      const day = 86_400_000;
      const now = new Date("2026-11-26T12:00:00Z");
      await trashPrompts(t.db, [promptId], new Date(now.getTime() - 31 * day));
      const second = await createPrompt(t.db, {
        meta: { name: "Greeter", description: "", folder: "", tags: [] },
        draft: draft([sec("a", "b")]),
      });
      await trashPrompts(t.db, [second.prompt.id], new Date(now.getTime() - 2 * day));
      await createSnippet(t.db, { name: "old", template: "x" });
      await trashSnippet(t.db, "old", new Date(now.getTime() - 40 * day));
      const trash = await listTrash(t.db, now);
      expect(trash.prompts.map((p) => p.daysLeft)).toEqual([28, 0]);
      expect(trash.snippets).toHaveLength(1);

      expect(await purgeExpiredTrash(t.db, now)).toEqual({ prompts: 1, snippets: 1 });
      expect(await t.db.promptVersion.count({ where: { promptId } })).toBe(0);
      expect(await t.db.label.count()).toBe(0);

      await createPrompt(t.db, {
        meta: { name: "Greeter", description: "", folder: "", tags: [] },
        draft: draft([sec("a", "c")]),
      });
      const restored = await restorePrompt(t.db, second.prompt.id);
      expect(restored).toMatchObject({ name: "Greeter (restored)", renamed: true });
      expect((await fieldError(deletePromptForever(t.db, second.prompt.id))).status).toBe(409);
      await trashPrompts(t.db, [second.prompt.id]);
      await deletePromptForever(t.db, second.prompt.id);
      expect(await t.db.prompt.count()).toBe(1);
    },
  );
});
