/**
 * GET /api/v1/export.zip against the production build on both databases: a folder's prompts as
 * `.prompt` files in the folder tree, snippets as partials, a manifest with labels and versions, each
 * file the same as the prompt's dotprompt render; private prompts of others left out; and a 404 when
 * ENABLE_EXPORT=false.
 */
import { strFromU8, unzipSync } from "fflate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DATABASE_KINDS } from "../support/databases";
import { startServer, type RunningServer } from "../support/server";

const task = (template: string) => ({ kind: "task", title: "Task", template });

describe.each(DATABASE_KINDS)("library zip — $label", ({ kind, skip }) => {
  let server: RunningServer;
  beforeAll(async () => {
    if (skip) return;
    server = await startServer({ database: kind, seed: false });
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
  });
  const post = (path: string, body: unknown) =>
    fetch(`${server.baseUrl}${path}`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
    });

  it.skipIf(skip)("exports a folder as .prompt files, partials and a manifest", async () => {
    expect((await post("/api/v1/snippets", { name: "sign", template: "— the team" })).status).toBe(201);
    for (const [name, folder] of [
      ["Welcome", "support"],
      ["Refund", "support/email"],
      ["Elsewhere", "sales"],
    ])
      expect((await post("/api/v1/prompts", { name, folder, sections: [task(`${name} {{> sign}}`)] })).status).toBe(
        201,
      );
    expect((await post("/api/v1/prompts/welcome/labels/production", { version: 1 })).status).toBe(200);
    const res = await fetch(`${server.baseUrl}/api/v1/export.zip?folder=support`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/zip");
    expect(res.headers.get("content-disposition")).toBe(
      `attachment; filename="support.zip"; filename*=UTF-8''support.zip`,
    );
    const bytes = new Uint8Array(await res.arrayBuffer());
    const files = unzipSync(bytes);
    expect(Object.keys(files).sort()).toEqual([
      "_sign.prompt",
      "email/refund.prompt",
      "prompt-builder.json",
      "welcome.prompt",
    ]);
    const render = await post("/api/v1/prompts/welcome/render", { target: "dotprompt" });
    expect(strFromU8(files["welcome.prompt"]!)).toBe(((await render.json()) as { text: string }).text);
    const manifest = JSON.parse(strFromU8(files["prompt-builder.json"]!)) as {
      prompts: Record<string, { slug: string; version: number; labels: Record<string, number> }>;
    };
    expect(manifest.prompts["welcome.prompt"]).toMatchObject({
      slug: "welcome",
      version: 1,
      labels: { production: 1 },
    });
    // The same library, the same bytes.
    const again = await fetch(`${server.baseUrl}/api/v1/export.zip?folder=support`);
    expect(Buffer.from(await again.arrayBuffer()).equals(Buffer.from(bytes))).toBe(true);
    // The library page offers it, for the folder shown or the whole library; the link gives this zip.
    const library = await (await fetch(`${server.baseUrl}/?folder=support`)).text();
    const href = /href="(\/api\/v1\/export\.zip[^"]*)"[^>]*>\.prompt files \(zip\)/.exec(library)?.[1];
    expect(href).toBe("/api/v1/export.zip?folder=support");
    const viaLink = await fetch(`${server.baseUrl}${href!.replace(/&amp;/g, "&")}`);
    expect(Buffer.from(await viaLink.arrayBuffer()).equals(Buffer.from(bytes))).toBe(true);
    expect(await (await fetch(`${server.baseUrl}/`)).text()).toContain('href="/api/v1/export.zip"');
  });
});

describe("library zip with ENABLE_EXPORT=false", () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer({ database: "sqlite", seed: false, env: { ENABLE_EXPORT: "false" } });
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
  });
  it("answers 404, and the library page does not offer it", async () => {
    const res = await fetch(`${server.baseUrl}/api/v1/export.zip`);
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    const library = await (await fetch(`${server.baseUrl}/`)).text();
    expect(library).toContain(">Import<");
    expect(library).not.toContain("export.zip");
  });
});
