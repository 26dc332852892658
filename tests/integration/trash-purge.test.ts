/**
 * Issue 11, fault 8: the trash is purged by a command (`npm run trash:purge`, built into
 * build/cli/trash-purge.js) rather than by viewing /trash, and two runs at once — two replicas'
 * CronJobs — delete each expired item exactly once, without errors, keeping what has not expired.
 */
import { spawn } from "node:child_process";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createPrompt } from "~/models/prompt-store.server";
import { ROOT } from "../support/paths";
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from "../support/databases";
import { startServer } from "../support/server";

const DAY = 86_400_000;

function purge(url: string) {
  return new Promise<{ code: number | null; out: string }>((resolve) => {
    const child = spawn(process.execPath, [path.join(ROOT, "build", "cli", "trash-purge.js")], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: url, LOG_LEVEL: "info" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (out += d.toString()));
    child.on("exit", (code) => resolve({ code, out }));
  });
}

async function trashed(t: TestDatabase, name: string, daysAgo: number) {
  const { prompt } = await createPrompt(t.db, {
    meta: { name, description: "", tags: ["t"], folder: "" },
    draft: {
      sections: [{ kind: "task", title: "Task", template: name, enabled: true, examples: [] }],
      variables: [],
      modelSettings: { model: "gpt-4o", stop: [] },
    },
    message: "v1",
  });
  await t.db.prompt.update({ where: { id: prompt.id }, data: { deletedAt: new Date(Date.now() - daysAgo * DAY) } });
  return prompt.id;
}

describe.each(DATABASE_KINDS)("trash purge — $label", ({ kind, skip }) => {
  let t: TestDatabase;
  beforeEach(async () => {
    if (!skip) t = await createTestDatabase(kind);
  });
  afterEach(async () => {
    await t?.cleanup();
  });

  it.skipIf(skip)(
    "two purges at once delete each expired item once, without errors",
    async () => {
      const expired = [];
      for (let i = 0; i < 25; i++) expired.push(await trashed(t, `Old ${i}`, 31 + i));
      const recent = await trashed(t, "Recent", 3);
      const live = (
        await createPrompt(t.db, {
          meta: { name: "Live", description: "", tags: [], folder: "" },
          draft: { sections: [], variables: [], modelSettings: { model: "gpt-4o", stop: [] } },
        })
      ).prompt.id;
      await t.db.snippet.create({ data: { name: "old-snippet", deletedAt: new Date(Date.now() - 40 * DAY) } });

      const runs = await Promise.all([purge(t.url), purge(t.url)]);
      for (const run of runs) expect(run.code, run.out).toBe(0);
      const logged = runs.map(
        (run) =>
          JSON.parse(run.out.split("\n").find((l) => l.includes('"trash purged"'))!) as {
            prompts: number;
            snippets: number;
          },
      );
      expect(logged[0]!.prompts + logged[1]!.prompts).toBe(expired.length);
      expect(logged[0]!.snippets + logged[1]!.snippets).toBe(1);
      expect(await t.db.prompt.count({ where: { id: { in: expired } } })).toBe(0);
      expect(await t.db.promptVersion.count({ where: { promptId: { in: expired } } })).toBe(0);
      expect((await t.db.prompt.findMany({ select: { id: true } })).map((p) => p.id).sort()).toEqual(
        [recent, live].sort(),
      );
    },
    60_000,
  );
});

describe("the trash page", () => {
  it("no longer deletes anything when viewed, and labels what the next purge removes", async () => {
    const server = await startServer({ database: "sqlite" });
    try {
      const { createDb } = await import("~/server/db.server");
      const { db } = createDb(server.databaseUrl);
      const prompt = await db.prompt.findFirstOrThrow({ select: { id: true } });
      await db.prompt.update({ where: { id: prompt.id }, data: { deletedAt: new Date(Date.now() - 45 * DAY) } });
      const html = await (await fetch(`${server.baseUrl}/trash`)).text();
      expect(html).toContain("at the next purge");
      expect(await db.prompt.count({ where: { id: prompt.id } })).toBe(1);
      await db.$disconnect();
    } finally {
      await server.stop();
    }
  });
});
