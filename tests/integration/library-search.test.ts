/**
 * The library query in both databases: full-text search (same matches), filters, sorts and cursor
 * pagination, and that the search index follows every save, rename and deletion.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { listQuerySchema } from "~/api/schemas";
import { CursorError } from "~/prompt/errors";
import { dbKind, listPrompts, libraryFacets, SEARCH_TUNING } from "~/models/library.server";
import { createPrompt, saveVersion } from "~/models/prompt-store.server";
import type { PromptDraft } from "~/prompt/draft";
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from "../support/databases";

const draft = (...templates: string[]): PromptDraft => ({
  sections: templates.map((template, i) => ({
    kind: i === 0 ? "system" : "task",
    title: i === 0 ? "Role" : "Task",
    template,
    enabled: true,
    examples: [],
  })),
  variables: [],
  modelSettings: { model: "gpt-4o", stop: [] },
});

const q = (over: Record<string, unknown> = {}) => listQuerySchema.parse(over);

async function names(t: TestDatabase, over: Record<string, unknown> = {}) {
  return (await listPrompts(t.db, q(over))).items.map((i) => i.name);
}

describe.each(DATABASE_KINDS)("library search — $label", ({ kind, skip }) => {
  let t: TestDatabase;
  beforeEach(async () => {
    if (skip) return;
    t = await createTestDatabase(kind);
    const make = (name: string, description: string, folder: string, tags: string[], ...templates: string[]) =>
      createPrompt(t.db, { meta: { name, description, folder, tags }, draft: draft(...templates) });
    await make(
      "Refund reply",
      "Answers refund requests politely",
      "support/email",
      ["support", "email"],
      "You are a support agent.",
      "Explain the refund policy for {{order_id}}.",
    );
    await make(
      "Bug triage",
      "Sorts incoming bug reports",
      "engineering",
      ["triage"],
      "You triage bugs.",
      "Classify: {{report}} — severity, component.",
    );
    await make(
      "Café menu",
      "Describes the crème brûlée",
      "support",
      ["food"],
      "Write a naïve, friendly menu.",
      "Contact: chef@example.com, well-known dishes.",
    );
    await make("alpha notes", "", "support-archive", [], "Archived notes about refunds-in-progress.");
    await make(
      "Zeta summary",
      "Summarises a support thread",
      "support/email/vip",
      ["support"],
      "Summarise the thread for a VIP customer.",
    );
  });
  afterEach(async () => {
    await t?.cleanup();
  });

  it.skipIf(skip)("knows which database it talks to", () => {
    expect(dbKind(t.db)).toBe(kind);
  });

  it.skipIf(skip)("matches names, descriptions and section text by word prefix, all words required", async () => {
    expect((await names(t, { q: "refund", sort: "name" })).sort()).toEqual(["Refund reply", "alpha notes"].sort());
    expect(await names(t, { q: "refund polic" })).toEqual(["Refund reply"]);
    expect(await names(t, { q: "triage severity" })).toEqual(["Bug triage"]);
    expect(await names(t, { q: "polite" })).toEqual(["Refund reply"]); // description, prefix
    expect(await names(t, { q: "ORDER_ID" })).toEqual(["Refund reply"]); // variable names are words too
    expect(await names(t, { q: "refund nonexistentword" })).toEqual([]);
  });

  it.skipIf(skip)("treats punctuation, case and accents the same way in both databases", async () => {
    expect(await names(t, { q: "CRÈME" })).toEqual(["Café menu"]);
    expect(await names(t, { q: "creme" })).toEqual([]); // accents are kept, in both
    expect(await names(t, { q: "example" })).toEqual(["Café menu"]); // inside an e-mail address
    expect(await names(t, { q: "known" })).toEqual(["Café menu"]); // inside a hyphenated word
    expect(await names(t, { q: "support/agent" })).toEqual(["Refund reply"]); // a path is two words
    expect(await names(t, { q: 'NEAR("x") OR * "' })).toEqual([]); // operators are words, not syntax
    expect(await names(t, { q: "in progress" })).toEqual(["alpha notes"]);
  });

  it.skipIf(skip)("ranks and pages by relevance with an offset cursor", async () => {
    const first = await listPrompts(t.db, q({ q: "support", limit: 1 }));
    expect(first.sort).toBe("relevance");
    expect(first.items).toHaveLength(1);
    expect(first.nextCursor).toBeTruthy();
    const second = await listPrompts(t.db, q({ q: "support", limit: 1, cursor: first.nextCursor! }));
    expect(second.nextCursor).toBeNull();
    const all = [...first.items, ...second.items].map((i) => i.name);
    expect(new Set(all).size).toBe(all.length);
    expect(all.sort()).toEqual(["Refund reply", "Zeta summary"].sort()); // "support" in their text; the folder is not text
  });

  it.skipIf(skip)("follows saves, renames and the trash", async () => {
    const p = await t.db.prompt.findFirstOrThrow({ where: { name: "Bug triage" } });
    await saveVersion(t.db, {
      promptId: p.id,
      baseVersion: 1,
      draft: draft("You route incidents to the on-call engineer."),
    });
    expect(await names(t, { q: "incidents" })).toEqual(["Bug triage"]);
    expect(await names(t, { q: "severity" })).toEqual([]);
    await t.db.prompt.update({ where: { id: p.id }, data: { deletedAt: new Date() } });
    expect(await names(t, { q: "incidents" })).toEqual([]);
    await t.db.prompt.delete({ where: { id: p.id } });
    expect(await names(t, { q: "incidents" })).toEqual([]);
    if (kind === "sqlite") {
      const docs = await t.db.$queryRawUnsafe<Array<{ n: number | bigint }>>(
        `SELECT count(*) AS n FROM "prompt_fts_doc"`,
      );
      expect(Number(docs[0]!.n)).toBe(4);
    }
  });

  it.skipIf(skip)("filters by folder (with subfolders), tag, label and favourite", async () => {
    expect(await names(t, { folder: "support", sort: "name" })).toEqual(["Café menu", "Refund reply", "Zeta summary"]);
    expect(await names(t, { folder: "support/email", sort: "name" })).toEqual(["Refund reply", "Zeta summary"]);
    expect(await names(t, { tag: "Support", sort: "name" })).toEqual(["Refund reply", "Zeta summary"]);
    expect(await names(t, { tag: "support", q: "vip" })).toEqual(["Zeta summary"]);
    const p = await t.db.prompt.findFirstOrThrow({ where: { name: "Bug triage" }, include: { versions: true } });
    await t.db.label.create({ data: { promptId: p.id, name: "production", versionId: p.versions[0]!.id } });
    expect(await names(t, { label: "production" })).toEqual(["Bug triage"]);
    await t.db.prompt.update({ where: { id: p.id }, data: { favorite: true } });
    expect(await names(t, { favorite: "1" })).toEqual(["Bug triage"]);
    expect(await names(t, { favorite: "1", q: "refund" })).toEqual([]);
    const facets = await libraryFacets(t.db);
    expect(facets.tags).toEqual(["email", "food", "support", "triage"]);
    expect(facets.folders).toContain("support/email/vip");
    expect(facets.labels).toEqual(["production", "staging"]);
  });

  it.skipIf(skip)("sorts by name (byte order in both), creation and last change, paging with cursors", async () => {
    const all = await names(t, { sort: "name" });
    expect(all).toEqual(["Bug triage", "Café menu", "Refund reply", "Zeta summary", "alpha notes"]);
    for (const sort of ["name", "created", "updated"] as const) {
      const full = await names(t, { sort, limit: 100 });
      const paged: string[] = [];
      let cursor: string | undefined;
      for (let i = 0; i < 10; i++) {
        const page = await listPrompts(t.db, q({ sort, limit: 2, cursor }));
        paged.push(...page.items.map((x) => x.name));
        if (!page.nextCursor) break;
        cursor = page.nextCursor;
      }
      expect(paged, sort).toEqual(full);
    }
    expect((await names(t, { sort: "created" }))[0]).toBe("Zeta summary");
    const p = await t.db.prompt.findFirstOrThrow({ where: { name: "Café menu" } });
    await saveVersion(t.db, { promptId: p.id, baseVersion: 1, draft: draft("x") });
    expect((await names(t, { sort: "updated" }))[0]).toBe("Café menu");
  });

  it.skipIf(skip)(
    "gives the same pages whichever plan runs (matches first, walking the sort order, ranking skipped)",
    async () => {
      const walk = async () => {
        const out: Record<string, string[]> = {};
        for (const sort of ["updated", "created", "name"] as const) {
          for (const filter of [{}, { tag: "support" }, { folder: "support" }]) {
            const got: string[] = [];
            let cursor: string | undefined;
            for (let i = 0; i < 10; i++) {
              const page = await listPrompts(t.db, q({ q: "s", sort, limit: 1, cursor, ...filter }));
              got.push(...page.items.map((x) => x.name));
              if (!page.nextCursor) break;
              cursor = page.nextCursor;
            }
            out[`${sort} ${JSON.stringify(filter)}`] = got;
          }
        }
        return out;
      };
      const saved = { ...SEARCH_TUNING };
      const matchFirst = await walk();
      expect(matchFirst["name {}"]).toEqual(["Bug triage", "Refund reply", "Zeta summary"]);
      expect(matchFirst['name {"tag":"support"}']).toEqual(["Refund reply", "Zeta summary"]);
      try {
        SEARCH_TUNING.matchFirstLimit = 0;
        expect(await walk()).toEqual(matchFirst);
        SEARCH_TUNING.relevanceLimit = 1;
        const page = await listPrompts(t.db, q({ q: "s" }));
        expect(page.rankingSkipped).toBe(true);
        expect(page.sort).toBe("updated");
      } finally {
        Object.assign(SEARCH_TUNING, saved);
      }
    },
  );

  it.skipIf(skip)("refuses a cursor that is not its own", async () => {
    const page = await listPrompts(t.db, q({ sort: "name", limit: 1 }));
    await expect(listPrompts(t.db, q({ sort: "created", cursor: page.nextCursor! }))).rejects.toBeInstanceOf(
      CursorError,
    );
    await expect(listPrompts(t.db, q({ cursor: "not-a-cursor" }))).rejects.toBeInstanceOf(CursorError);
  });

  it.skipIf(skip)("has its raw search objects in place", async () => {
    if (kind === "sqlite") {
      const rows = await t.db.$queryRawUnsafe<Array<{ name: string }>>(
        `SELECT name FROM sqlite_master WHERE type = 'trigger' ORDER BY name`,
      );
      expect(rows.map((r) => r.name)).toEqual([
        "prompt_fts_after_delete",
        "prompt_fts_after_insert",
        "prompt_fts_after_update",
      ]);
    } else {
      const rows = await t.db.$queryRawUnsafe<Array<{ indexname: string }>>(
        `SELECT indexname::text AS indexname FROM pg_indexes WHERE indexname = 'Prompt_searchVector_idx'`,
      );
      expect(rows).toHaveLength(1);
    }
  });
});
