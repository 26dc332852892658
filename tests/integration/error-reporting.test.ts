/**
 * Issue 12: with SENTRY_DSN set, server errors reach Sentry through the official SDK, scrubbed of
 * passwords, tokens, cookies, query strings and prompt variable values; without a DSN the SDK is
 * never loaded. The DSN points at a local HTTP endpoint standing in for Sentry's ingest, which
 * receives the SDK's real envelopes.
 */
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import zlib from "node:zlib";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { SQLITE_BASE } from "../support/paths";
import { startServer, type RunningServer } from "../support/server";

const SECRETS = {
  value: "VALUE-SECRET-4242",
  token: "pbt_SECRET0token0abcdefghijklmnopqrstuvwxyz012345",
  cookie: "COOKIE-SECRET-7777",
  query: "QUERY-SECRET-9191",
  password: "PASSWORD-SECRET-5353",
};

type Envelope = { path: string; text: string };

function startIngest() {
  const envelopes: Envelope[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      let body = Buffer.concat(chunks);
      if (req.headers["content-encoding"] === "gzip") body = zlib.gunzipSync(body);
      envelopes.push({ path: req.url ?? "", text: body.toString("utf8") });
      res.writeHead(200, { "Content-Type": "application/json" }).end("{}");
    });
  });
  return new Promise<{ port: number; envelopes: Envelope[]; close: () => void }>((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      resolve({ port, envelopes, close: () => server.close() });
    });
  });
}

const cleanups: Array<() => unknown> = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

function copyDatabase() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pb-sentry-"));
  cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, "app.db");
  fs.copyFileSync(SQLITE_BASE, file);
  return file;
}

async function start(env: Record<string, string>, file: string): Promise<RunningServer> {
  const server = await startServer({ databaseUrl: `file:${file}`, env: { LOG_LEVEL: "info", ...env } });
  cleanups.push(() => server.stop());
  return server;
}

describe("error reporting", () => {
  it("sends a server error to the DSN with the request's secrets scrubbed", async () => {
    const ingest = await startIngest();
    cleanups.push(ingest.close);
    const file = copyDatabase();
    const server = await start({ SENTRY_DSN: `http://publickey@127.0.0.1:${ingest.port}/1` }, file);
    await expect.poll(() => server.output()).toContain("error reporting on (Sentry)");
    const list = (await (await fetch(`${server.baseUrl}/api/v1/prompts`)).json()) as { items: Array<{ slug: string }> };
    const slug = list.items[0]!.slug;

    // A bug, not a client mistake: the versions table disappears under the running app.
    const db = new Database(file);
    db.exec(
      'ALTER TABLE "PromptVersion" RENAME TO "PromptVersion_gone"; ALTER TABLE "Section" RENAME TO "Section_gone"',
    );
    db.close();

    const render = await fetch(`${server.baseUrl}/api/v1/prompts/${slug}/render?q=${SECRETS.query}`, {
      method: "POST",
      headers: {
        "Content-Type": "application/json",
        Authorization: `Bearer ${SECRETS.token}`,
        Cookie: `pb_session=${SECRETS.cookie}`,
      },
      body: JSON.stringify({ variables: { anything: SECRETS.value, password: SECRETS.password } }),
    });
    expect(render.status, await render.clone().text()).toBe(500);
    const page = await fetch(`${server.baseUrl}/prompts/${slug}/history?q=${SECRETS.query}`, {
      headers: { Cookie: `pb_session=${SECRETS.cookie}`, Authorization: `Bearer ${SECRETS.token}` },
    });
    expect(page.status, await page.clone().text()).toBe(500);

    await expect.poll(() => ingest.envelopes.filter((e) => e.text.includes('"type":"event"')).length).toBe(2);
    const events = ingest.envelopes.filter((e) => e.text.includes('"type":"event"'));
    for (const envelope of events) {
      expect(envelope.path).toMatch(/^\/api\/1\/envelope\/\?.*sentry_key=publickey/);
      const [header, , item] = envelope.text.split("\n");
      expect(JSON.parse(header!)).toMatchObject({ event_id: expect.stringMatching(/^[0-9a-f]{32}$/) });
      const event = JSON.parse(item!) as {
        exception: { values: Array<{ value: string; stacktrace?: { frames: unknown[] } }> };
        contexts: { request?: { method: string; path: string } };
        tags: Record<string, string>;
        release: string;
      };
      expect(event.exception.values.map((v) => v.value).join(" ")).toMatch(/PromptVersion|Section/);
      expect(event.exception.values.some((v) => (v.stacktrace?.frames.length ?? 0) > 0)).toBe(true);
      expect(event.tags.request_id).toMatch(/\S/);
      expect(event.release).toBeTruthy();
      for (const secret of Object.values(SECRETS)) expect(envelope.text).not.toContain(secret);
    }
    const paths = events.map(
      (e) => (JSON.parse(e.text.split("\n")[2]!) as { contexts: { request: { path: string } } }).contexts.request.path,
    );
    expect(paths.sort()).toEqual([`/api/v1/prompts/${slug}/render`, `/prompts/${slug}/history`].sort());
  });

  it("loads nothing and sends nothing without a DSN", async () => {
    const ingest = await startIngest();
    cleanups.push(ingest.close);
    const file = copyDatabase();
    const server = await start({}, file);
    await expect.poll(() => server.output()).toContain("error reporting off (no SENTRY_DSN)");
    const db = new Database(file);
    db.exec('ALTER TABLE "PromptVersion" RENAME TO "PromptVersion_gone"');
    db.close();
    expect((await fetch(`${server.baseUrl}/`)).status).toBe(500);
    expect(server.output()).not.toContain("error reporting on");
    expect(ingest.envelopes).toEqual([]);
  });
});
