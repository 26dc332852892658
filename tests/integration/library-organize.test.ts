/**
 * Organising the library in both databases: details, folders, tags (rename, merge), favourites,
 * duplicate, move and bulk actions — with bad input refused and nothing half-written.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { listQuerySchema } from "~/api/schemas";
import { listPrompts } from "~/models/library.server";
import {
  createFolder,
  deleteFolder,
  duplicatePrompt,
  listTags,
  mergeTags,
  movePrompts,
  renameTag,
  setFavorite,
  tagPrompts,
  trashPrompts,
  updateDetails,
} from "~/models/organize.server";
import { createPrompt, getPromptForEdit } from "~/models/prompt-store.server";
import { problemFor } from "~/server/http/problem.server";
import type { PromptDraft } from "~/prompt/draft";
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from "../support/databases";
import { failWrites, INJECTED_FAILURE } from "../support/fail-writes";

const draft = (template: string): PromptDraft => ({
  sections: [{ kind: "task", title: "Task", template, enabled: true, examples: [] }],
  variables: [],
  modelSettings: { model: "gpt-4o", stop: [] },
});

async function rejects(p: Promise<unknown>, path: string, status: number, message?: RegExp) {
  const error = await p.then(
    () => null,
    (e: unknown) => e,
  );
  // What a page or the API would answer: the status, and an issue at the field.
  const problem = problemFor(error);
  expect(problem, String(error)).not.toBeNull();
  expect(problem!.issues.map((i) => String(i.path[0]))).toContain(path);
  expect(problem!.status).toBe(status);
  if (message) expect(problem!.error).toMatch(message);
}

describe.each(DATABASE_KINDS)("library organise — $label", ({ kind, skip }) => {
  let t: TestDatabase;
  let ids: Record<string, string>;
  beforeEach(async () => {
    if (skip) return;
    t = await createTestDatabase(kind);
    ids = {};
    for (const [name, folder, tags] of [
      ["Welcome", "support/email", ["support"]],
      ["Refunds", "support/email", ["support", "billing"]],
      ["Triage", "engineering", ["Bugs"]],
    ] as const) {
      const { prompt } = await createPrompt(t.db, {
        meta: { name, description: "", folder, tags: [...tags] },
        draft: draft(`${name} text`),
      });
      ids[name] = prompt.id;
    }
  });
  afterEach(async () => {
    await t?.cleanup();
  });

  it.skipIf(skip)("renames a prompt, keeps names unique per folder and refuses an empty name", async () => {
    await updateDetails(t.db, ids.Welcome!, { name: "Greeting", description: "Says hello" });
    const page = await listPrompts(t.db, listQuerySchema.parse({ q: "greeting hello" }));
    expect(page.items.map((i) => i.name)).toEqual(["Greeting"]);
    await rejects(
      updateDetails(t.db, ids.Greeting ?? ids.Welcome!, { name: "Refunds", description: "" }),
      "name",
      409,
      /already exists/,
    );
    await rejects(updateDetails(t.db, ids.Welcome!, { name: "   ", description: "" }), "name", 422, /required/);
  });

  it.skipIf(skip)(
    "changes details and tags in one transaction: a failing tag step leaves the details as they were",
    async () => {
      await updateDetails(t.db, ids.Welcome!, {
        name: "Greeting",
        description: "Says hello",
        tags: [" Support ", "", "Onboarding"],
      });
      let found = (await getPromptForEdit(t.db, "welcome"))!;
      expect([found.prompt.name, found.prompt.tags.map((x) => x.tag.name).sort()]).toEqual([
        "Greeting",
        ["onboarding", "support"],
      ]);

      // Bad input is refused before anything is written.
      await rejects(
        updateDetails(t.db, ids.Welcome!, { name: "Hello", description: "", tags: ["x".repeat(41)] }),
        "tags",
        422,
        /at most 40/,
      );
      await rejects(
        updateDetails(t.db, ids.Welcome!, {
          name: "Hello",
          description: "",
          tags: Array.from({ length: 21 }, (_, i) => `t${i}`),
        }),
        "tags",
        422,
        /At most 20 tags/,
      );

      // The database refuses the tag step after the details were written: nothing stays.
      await failWrites(t, "PromptTag", "INSERT");
      await expect(
        updateDetails(t.db, ids.Welcome!, { name: "Hello", description: "Changed", tags: ["other"] }),
      ).rejects.toThrow(INJECTED_FAILURE);
      found = (await getPromptForEdit(t.db, "welcome"))!;
      expect([found.prompt.name, found.prompt.description, found.prompt.tags.map((x) => x.tag.name).sort()]).toEqual([
        "Greeting",
        "Says hello",
        ["onboarding", "support"],
      ]);
      expect((await listPrompts(t.db, listQuerySchema.parse({ q: "changed" }))).items).toEqual([]);
    },
  );

  it.skipIf(skip)("moves prompts between folders, refusing '..' and a name taken in the target", async () => {
    await movePrompts(t.db, [ids.Triage!], "support/email/escalations");
    expect((await getPromptForEdit(t.db, "triage"))!.prompt.folder!.path).toBe("support/email/escalations");
    await rejects(movePrompts(t.db, [ids.Welcome!], "support/../etc"), "folder", 422, /\.\./);
    await createPrompt(t.db, {
      meta: { name: "Welcome", description: "", folder: "sales", tags: [] },
      draft: draft("x"),
    });
    await rejects(movePrompts(t.db, [ids.Welcome!, ids.Refunds!], "sales"), "folder", 409, /Welcome/);
    // Nothing half-moved: Refunds stayed where it was.
    expect((await getPromptForEdit(t.db, "refunds"))!.prompt.folder!.path).toBe("support/email");
    await movePrompts(t.db, [ids.Refunds!], "");
    expect((await getPromptForEdit(t.db, "refunds"))!.prompt.folder).toBeNull();
  });

  it.skipIf(skip)("tags a selection (creating tags on the fly), untags, renames and merges tags", async () => {
    await tagPrompts(t.db, [ids.Welcome!, ids.Triage!], ["Urgent", "support"], "add");
    expect(await listTags(t.db)).toEqual([
      { name: "billing", count: 1 },
      { name: "bugs", count: 1 },
      { name: "support", count: 3 },
      { name: "urgent", count: 2 },
    ]);
    await tagPrompts(t.db, [ids.Triage!], ["support"], "remove");
    await rejects(renameTag(t.db, "bugs", "Support"), "to", 409, /merge/);
    await renameTag(t.db, "bugs", "defects");
    await mergeTags(t.db, ["billing", "urgent"], "support");
    expect(await listTags(t.db)).toEqual([
      { name: "defects", count: 1 },
      { name: "support", count: 3 },
    ]);
    const triage = await getPromptForEdit(t.db, "triage");
    expect(triage!.prompt.tags.map((x) => x.tag.name).sort()).toEqual(["defects", "support"]);
    await rejects(tagPrompts(t.db, [ids.Welcome!], ["x".repeat(41)], "add"), "tags", 422);
    await rejects(tagPrompts(t.db, [], ["a"], "add"), "ids", 422);
  });

  it.skipIf(skip)("favourites without changing the last change, duplicates, and trashes a selection", async () => {
    const before = (await getPromptForEdit(t.db, "welcome"))!.prompt.updatedAt;
    await setFavorite(t.db, ids.Welcome!, true);
    const after = (await getPromptForEdit(t.db, "welcome"))!.prompt;
    expect(after.favorite).toBe(true);
    expect(after.updatedAt.getTime()).toBe(before.getTime());

    const copy = await duplicatePrompt(t.db, "refunds");
    expect(copy.prompt.name).toBe("Refunds (copy)");
    const copy2 = await duplicatePrompt(t.db, "refunds");
    expect(copy2.prompt.name).toBe("Refunds (copy 2)");
    const loaded = await getPromptForEdit(t.db, copy.prompt.slug);
    expect(loaded!.prompt.folder!.path).toBe("support/email");
    expect(loaded!.prompt.tags.map((x) => x.tag.name).sort()).toEqual(["billing", "support"]);
    expect(loaded!.draft.sections[0]!.template).toBe("Refunds text");

    expect(await trashPrompts(t.db, [ids.Welcome!, ids.Refunds!])).toBe(2);
    const live = await listPrompts(t.db, listQuerySchema.parse({ sort: "name" }));
    expect(live.items.map((i) => i.name)).toEqual(["Refunds (copy 2)", "Refunds (copy)", "Triage"]); // byte order: " " < ")"
    await rejects(trashPrompts(t.db, [ids.Welcome!]), "ids", 409);
  });

  it.skipIf(skip)("creates nested folders and deletes only empty ones", async () => {
    await createFolder(t.db, "marketing/social/x");
    expect(
      (await t.db.folder.findMany({ where: { path: { startsWith: "marketing" } }, orderBy: { path: "asc" } })).map(
        (f) => f.path,
      ),
    ).toEqual(["marketing", "marketing/social", "marketing/social/x"]);
    await rejects(createFolder(t.db, "a//b"), "path", 422);
    await rejects(deleteFolder(t.db, "marketing"), "path", 409, /not empty/);
    await deleteFolder(t.db, "marketing/social/x");
    await rejects(deleteFolder(t.db, "support/email"), "path", 409);
  });
});
