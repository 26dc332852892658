/**
 * ENABLE_EXPORT=false hides every export and download the UI offers (today the builder preview's
 * Download button); the default shows it. Checked on the server-rendered page, which is what the
 * browser hydrates.
 */
import { afterAll, describe, expect, it } from "vitest";
import { startServer, type RunningServer } from "../support/server";

const running: RunningServer[] = [];
afterAll(async () => {
  for (const s of running) await s.stop();
});

async function builderHtml(env: Record<string, string>) {
  const server = await startServer({ database: "sqlite", env });
  running.push(server);
  const res = await fetch(`${server.baseUrl}/prompts/new?starter=summarise-text`);
  expect(res.status).toBe(200);
  return res.text();
}

describe("ENABLE_EXPORT", () => {
  it("shows the preview's Download button by default", async () => {
    expect(await builderHtml({})).toMatch(/<button[^>]*>Download<\/button>/);
  });

  it("hides it when false", async () => {
    const html = await builderHtml({ ENABLE_EXPORT: "false" });
    expect(html).toContain("Copy");
    expect(html).not.toMatch(/>Download</);
  });
});
