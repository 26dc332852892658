/**
 * Scaled mode: two app processes (the production build) on one PostgreSQL database. A label moved
 * through replica A — by its own page action, as a person would — is served by replica B from the
 * very next request, and the ETag B handed out before no longer gets a 304 (docs/decisions/080:
 * label state is read on every request; only immutable versions are cached).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb } from "~/server/db.server";
import type { PromptDraft } from "~/prompt/draft";
import { moveLabel } from "~/models/labels.server";
import { saveDefaultTestValues } from "~/models/test-values.server";
import { createPrompt, saveVersion } from "~/models/prompt-store.server";
import { POSTGRES_SKIP_REASON, POSTGRES_URL } from "../support/postgres";
import { startServer, type RunningServer } from "../support/server";

const draft = (template: string): PromptDraft => ({
  sections: [{ id: "s1", kind: "task", title: "Task", template, enabled: true, examples: [] }],
  variables: [{ name: "question", type: "text", required: true, enumValues: [], description: "" }],
  modelSettings: { model: "gpt-4o", stop: [] },
});

describe.skipIf(!POSTGRES_URL)(
  `two replicas on one PostgreSQL${POSTGRES_URL ? "" : ` (skipped: ${POSTGRES_SKIP_REASON})`}`,
  () => {
    let a: RunningServer;
    let b: RunningServer;
    beforeAll(async () => {
      a = await startServer({ database: "postgres", seed: false });
      b = await startServer({ databaseUrl: a.databaseUrl, seed: false });
      const { db } = createDb(a.databaseUrl);
      try {
        const { prompt } = await createPrompt(db, {
          meta: { name: "Replicated", description: "", folder: "", tags: [] },
          draft: draft("one {{question}}"),
        });
        await saveVersion(db, { promptId: prompt.id, baseVersion: 1, draft: draft("two {{question}}") });
        // A label moves only to a version that renders with its saved test values (decision 091).
        await saveDefaultTestValues(db, prompt.slug, { question: "Q" });
        await moveLabel(db, { promptId: prompt.id, name: "production", version: 1, actor: null, authEnabled: false });
      } finally {
        await db.$disconnect();
      }
    }, 180_000);
    afterAll(async () => {
      await b?.stop(); // shares A's database: A's stop drops it
      await a?.stop();
    });

    const label = "/api/v1/prompts/replicated?label=production";
    const render = (server: RunningServer) =>
      fetch(`${server.baseUrl}/api/v1/prompts/replicated/render`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ label: "production", variables: { question: "Q" } }),
      }).then(async (r) => ((await r.json()) as { text: string }).text);
    const post = (server: RunningServer, form: Record<string, string>) =>
      fetch(`${server.baseUrl}/prompts/replicated?index`, {
        method: "POST",
        body: new URLSearchParams(form),
        redirect: "manual",
      });

    it("serves a label moved through replica A from replica B's next request", async () => {
      // Both replicas have served (and cached) the labelled version and its render.
      const before = await fetch(`${b.baseUrl}${label}`);
      const etag = before.headers.get("etag")!;
      expect(((await before.json()) as { version: { number: number } }).version.number).toBe(1);
      expect((await fetch(`${b.baseUrl}${label}`, { headers: { "if-none-match": etag } })).status).toBe(304);
      expect(await render(a)).toBe("one Q");
      expect(await render(b)).toBe("one Q");

      const moved = await post(a, { intent: "label", name: "production", version: "2" });
      expect([302, 303]).toContain(moved.status);

      const after = await fetch(`${b.baseUrl}${label}`, { headers: { "if-none-match": etag } });
      expect(after.status).toBe(200);
      expect(after.headers.get("etag")).not.toBe(etag);
      expect(((await after.json()) as { version: { number: number } }).version.number).toBe(2);
      expect(await render(b)).toBe("two Q");

      // And back, through B this time: A follows.
      const back = await post(b, { intent: "label", name: "production", version: "1" });
      expect([302, 303]).toContain(back.status);
      expect(await render(a)).toBe("one Q");
      const again = await fetch(`${a.baseUrl}${label}`);
      expect(again.headers.get("etag")).toBe(etag);
    });

    it("serves details changed through replica A (name, tags) from replica B, with a new ETag", async () => {
      const before = await fetch(`${b.baseUrl}${label}`);
      const etag = before.headers.get("etag")!;
      const changed = await post(a, { intent: "details", name: "Replicated twice", description: "now", tags: "x, y" });
      expect([302, 303]).toContain(changed.status);
      const after = await fetch(`${b.baseUrl}${label}`, { headers: { "if-none-match": etag } });
      expect(after.status).toBe(200);
      expect(await after.json()).toMatchObject({ name: "Replicated twice", description: "now", tags: ["x", "y"] });
    });
  },
);
