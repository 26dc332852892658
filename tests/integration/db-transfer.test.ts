/**
 * The runbook "from one pod on SQLite to replicas on PostgreSQL" (docs/operations.md), end to end:
 * a SQLite instance with accounts on and a library (the seed, plus labels, snippets and a token made
 * through the app's own functions) → `node build/cli/transfer.js` to a fresh PostgreSQL database →
 * two app replicas on it → the same answers by label and version through /api/v1, with the same
 * API token. Then: a non-empty target is refused without --force, and --force copies again.
 */
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb } from "~/server/db.server";
import { createFirstAdmin } from "~/models/accounts.server";
import { createApiToken } from "~/models/api-tokens.server";
import { moveLabel } from "~/models/labels.server";
import { createPrompt, saveVersion } from "~/models/prompt-store.server";
import { createSnippet } from "~/models/snippets.server";
import { saveDefaultTestValues } from "~/models/test-values.server";
import { addCase, setLabelGate } from "~/models/test-cases.server";
import { ROOT } from "../support/paths";
import { createTestDatabaseUrl } from "../support/databases";
import { POSTGRES_SKIP_REASON, POSTGRES_URL } from "../support/postgres";
import { startServer, type RunningServer } from "../support/server";

const AUTH = { ENABLE_AUTH: "true", SESSION_SECRET: "t".repeat(40) };
const run = promisify(execFile);

async function transferCli(args: string[]) {
  try {
    const { stdout, stderr } = await run(process.execPath, [path.join(ROOT, "build", "cli", "transfer.js"), ...args], {
      cwd: ROOT,
      env: { ...process.env, LOG_LEVEL: "warn" },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe.skipIf(!POSTGRES_URL)(
  `SQLite → PostgreSQL transfer${POSTGRES_URL ? "" : ` (skipped: ${POSTGRES_SKIP_REASON})`}`,
  () => {
    let sqlite: RunningServer;
    let replicas: RunningServer[] = [];
    let pg: { url: string; cleanup: () => Promise<void> };
    let token = "";
    let before: Map<string, unknown>;

    /** Every prompt's JSON and renders by each label and version 1, through /api/v1 with the token. */
    async function answers(server: RunningServer) {
      const auth = { Authorization: `Bearer ${token}` };
      const out = new Map<string, unknown>();
      const list = (await (await fetch(`${server.baseUrl}/api/v1/prompts?limit=100`, { headers: auth })).json()) as {
        items: Array<{ slug: string; labels: Record<string, number> }>;
      };
      expect(list.items.length).toBeGreaterThan(3);
      for (const p of list.items) {
        const selectors = [{ version: 1 }, ...Object.keys(p.labels).map((label) => ({ label }))];
        for (const selector of selectors) {
          const query = new URLSearchParams(Object.entries(selector).map(([k, v]) => [k, String(v)]));
          const get = await fetch(`${server.baseUrl}/api/v1/prompts/${p.slug}?${query}`, { headers: auth });
          out.set(`GET ${p.slug} ${query}`, [get.status, await get.json()]);
          const render = await fetch(`${server.baseUrl}/api/v1/prompts/${p.slug}/render`, {
            method: "POST",
            headers: { ...auth, "content-type": "application/json" },
            body: JSON.stringify({ ...selector, target: "openai", strict: false, variables: {} }),
          });
          out.set(`RENDER ${p.slug} ${query}`, [render.status, await render.json()]);
        }
      }
      return out;
    }

    beforeAll(async () => {
      sqlite = await startServer({ database: "sqlite", env: AUTH });
      const { db } = createDb(sqlite.databaseUrl);
      try {
        const admin = await createFirstAdmin(
          db,
          { email: "ops@example.test", name: "Ops", password: "a long enough operator password" },
          { address: "" },
        );
        token = (
          await createApiToken(
            db,
            { id: admin.id, role: "admin" },
            { name: "ci", scopes: ["read", "render"], labels: "" },
            { id: admin.id, role: "admin" },
          )
        ).token;
        await createSnippet(db, { name: "footer", template: "-- {{team}}" }, { id: admin.id, role: "admin" });
        const { prompt } = await createPrompt(db, {
          meta: { name: "Moved reply", description: "moves to PostgreSQL", folder: "ops", tags: ["move"] },
          draft: {
            sections: [
              {
                kind: "task",
                title: "Task",
                template: "Reply to {{question}} {{> footer}}",
                enabled: true,
                examples: [],
              },
            ],
            variables: [
              { name: "question", type: "text", required: false, default: "hi", enumValues: [], description: "" },
              { name: "team", type: "string", required: false, default: "Ops", enumValues: [], description: "" },
            ],
            modelSettings: { model: "gpt-4o", stop: [] },
          },
          authorId: admin.id,
        });
        await saveVersion(db, {
          promptId: prompt.id,
          baseVersion: 1,
          draft: {
            sections: [
              {
                kind: "task",
                title: "Task",
                template: "Answer {{question}} {{> footer}}",
                enabled: true,
                examples: [],
              },
            ],
            variables: [
              { name: "question", type: "text", required: false, default: "hi", enumValues: [], description: "" },
              { name: "team", type: "string", required: false, default: "Ops", enumValues: [], description: "" },
            ],
            modelSettings: { model: "gpt-4o", stop: [] },
          },
          authorId: admin.id,
        });
        await saveDefaultTestValues(db, prompt.slug, {});
        const actor = { id: admin.id, role: "admin" as const };
        await moveLabel(db, { promptId: prompt.id, name: "production", version: 1, actor, authEnabled: true });
        await moveLabel(db, { promptId: prompt.id, name: "staging", version: 2, actor, authEnabled: true });
        // Test cases, a suite and a gate belong to the prompt, which the bundle recreates with a new id.
        await addCase(db, prompt.id, "smoke", actor);
        await setLabelGate(db, {
          promptId: prompt.id,
          labelName: "staging",
          suiteName: "default",
          actor,
          authEnabled: true,
        });
      } finally {
        await db.$disconnect();
      }
      before = await answers(sqlite);
      pg = await createTestDatabaseUrl("postgres");
    }, 180_000);
    afterAll(async () => {
      for (const r of replicas) await r.stop();
      await sqlite?.stop();
      await pg?.cleanup();
    });

    it("copies the instance, checks counts and digest, and two replicas on PostgreSQL answer the same", async () => {
      const result = await transferCli(["--from", sqlite.databaseUrl, "--to", pg.url]);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toMatch(/library sha256 [0-9a-f]{64} on both sides/);
      expect(result.stdout).toContain("apiToken 1");
      // "smoke" (the saved test values are empty: no first case), the default suite, the gate; and
      // every write's audit event.
      expect(result.stdout).toMatch(/testCase 1\b/);
      expect(result.stdout).toMatch(/evalSuite 1\b/);
      expect(result.stdout).toMatch(/labelGate 1\b/);
      expect(result.stdout).toMatch(/auditEvent [1-9]\d*/);

      replicas = [
        await startServer({ databaseUrl: pg.url, seed: false, env: AUTH }),
        await startServer({ databaseUrl: pg.url, seed: false, env: AUTH }),
      ];
      for (const replica of replicas) expect(await answers(replica)).toEqual(before);
    }, 180_000);

    it("refuses a target that is not empty, unless --force", async () => {
      const refused = await transferCli(["--from", sqlite.databaseUrl, "--to", pg.url]);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain("not empty");
      const forced = await transferCli(["--from", sqlite.databaseUrl, "--to", pg.url, "--force"]);
      expect(forced.code, forced.stderr).toBe(0);
      expect(await answers(replicas[0]!)).toEqual(before);
    }, 180_000);

    it("refuses bad arguments with its usage", async () => {
      const r = await transferCli(["--from", sqlite.databaseUrl]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain("usage: npm run db:transfer");
    });
  },
);
