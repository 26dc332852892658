/**
 * Issue 11, fault 1: one failed write must not wedge every later write on SQLite. The database is
 * made full with `PRAGMA max_page_count` on the client's own connection (the same SQLITE_FULL a full
 * disk gives), a save fails, the limit is raised, and the next save must succeed — before the fix it
 * waited forever for the adapter's transaction lock. Through the server, the WAL file is made
 * immutable (chattr +i: root ignores file modes) so COMMIT fails with an I/O error, as on a
 * read-only or failing volume: the save answers a 503 problem, and saves work again once the file
 * is writable.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createPrompt } from "~/models/prompt-store.server";
import type { PromptDraft } from "~/prompt/draft";
import { createTestDatabase, type TestDatabase } from "../support/databases";
import { startServer, type RunningServer } from "../support/server";

const draft = (task: string): PromptDraft => ({
  sections: [{ kind: "task", title: "Task", template: task, enabled: true, examples: [] }],
  variables: [],
  modelSettings: { model: "gpt-4o", stop: [] },
});

/** Fails the test instead of hanging it: the wedge this suite guards against never settles. */
function within<T>(ms: number, what: string, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<T>(
      (_, reject) =>
        (timer = setTimeout(() => reject(new Error(`${what} did not settle within ${ms} ms (wedged)`)), ms)),
    ),
  ]);
}

describe("SQLite after a failed write", () => {
  let t: TestDatabase;
  beforeEach(async () => {
    t = await createTestDatabase("sqlite");
  });
  afterEach(async () => {
    await t?.cleanup();
  });

  async function pageCount() {
    const rows = await t.db.$queryRawUnsafe<Array<{ page_count: bigint | number }>>("PRAGMA page_count");
    return Number(rows[0]!.page_count);
  }

  it("saves again once the database has room (max_page_count)", async () => {
    await createPrompt(t.db, {
      meta: { name: "Before", description: "", tags: [], folder: "" },
      draft: draft("ok"),
      message: "v1",
    });
    const pages = await pageCount();
    await t.db.$queryRawUnsafe(`PRAGMA max_page_count = ${pages + 2}`);

    let failure: unknown;
    for (let i = 0; i < 20 && !failure; i++) {
      await within(
        5000,
        "a save into a full database",
        createPrompt(t.db, {
          meta: { name: `Filler ${i}`, description: "", tags: [], folder: "" },
          draft: draft("x".repeat(20_000)),
          message: "fill",
        }).catch((error: unknown) => (failure = error)),
      );
    }
    expect(String((failure as Error)?.message)).toMatch(/full/i);

    await t.db.$queryRawUnsafe(`PRAGMA max_page_count = ${pages + 10_000}`);
    const saved = await within(
      5000,
      "the save after space was freed",
      createPrompt(t.db, {
        meta: { name: "After", description: "", tags: [], folder: "" },
        draft: draft("ok"),
        message: "v1",
      }),
    );
    expect(saved.version.number).toBe(1);
    // Reads and further writes keep working, and nothing half-written stayed behind.
    expect(await t.db.prompt.count({ where: { name: "After" } })).toBe(1);
    await within(
      5000,
      "a second save",
      t.db.prompt.update({ where: { id: saved.prompt.id }, data: { description: "still writable" } }),
    );
  });

  it("saves again after a COMMIT failed and SQLite already rolled back", async () => {
    // A transaction whose COMMIT fails: the deferred foreign key violation is only checked at COMMIT.
    await t.db.$executeRawUnsafe("PRAGMA defer_foreign_keys = ON");
    await expect(
      within(
        5000,
        "a failing commit",
        t.db.$transaction(async (tx) => {
          await tx.$executeRawUnsafe("PRAGMA defer_foreign_keys = ON");
          await tx.$executeRawUnsafe(
            "INSERT INTO PromptVersion (id, promptId, number) VALUES ('orphan', 'no-such-prompt', 1)",
          );
        }),
      ),
    ).rejects.toThrow(/FOREIGN KEY|constraint/i);
    const saved = await within(
      5000,
      "the save after the failed commit",
      createPrompt(t.db, {
        meta: { name: "After commit", description: "", tags: [], folder: "" },
        draft: draft("ok"),
        message: "v1",
      }),
    );
    expect(saved.version.number).toBe(1);
    expect(await t.db.promptVersion.count({ where: { id: "orphan" } })).toBe(0);
  });
});

const chattr = (flag: "+i" | "-i", file: string) => spawnSync("chattr", [flag, file], { encoding: "utf8" });
const canChattr = (() => {
  const probe = `${process.env.TMPDIR || "/tmp"}/pb-chattr-probe-${process.pid}`;
  fs.writeFileSync(probe, "");
  const ok = chattr("+i", probe).status === 0;
  chattr("-i", probe);
  fs.rmSync(probe, { force: true });
  return ok;
})();

describe.skipIf(!canChattr)(
  "SQLite server when the data file cannot be written" + (canChattr ? "" : " (skipped: chattr +i not permitted here)"),
  () => {
    let server: RunningServer;
    let wal: string;
    beforeAll(async () => {
      server = await startServer({ database: "sqlite", seed: false });
      wal = `${server.databaseUrl.replace(/^file:/, "")}-wal`;
    });
    afterAll(async () => {
      if (wal) chattr("-i", wal);
      await server?.stop();
    });

    const save = (name: string) => {
      const form = new URLSearchParams({
        name,
        description: "",
        tags: "",
        folder: "",
        message: "v1",
        draft: JSON.stringify(draft(`Task for ${name}`)),
      });
      return fetch(`${server.baseUrl}/prompts/new`, {
        method: "POST",
        body: form,
        redirect: "manual",
        signal: AbortSignal.timeout(15_000),
      });
    };

    it("answers the failed save with a 503 problem and saves again once the file is writable", async () => {
      expect((await save("Before")).status).toBe(302);
      expect(chattr("+i", wal).status).toBe(0);
      try {
        const failed = await save("During");
        expect(failed.status).toBe(503);
        expect(await failed.text()).toContain("The database is not available right now");
      } finally {
        chattr("-i", wal);
      }
      const after = await save("After");
      expect(after.status).toBe(302);
      expect(after.headers.get("location")).toMatch(/^\/prompts\/after\/edit/);
      const again = await save("Again");
      expect(again.status).toBe(302);
    });
  },
);
