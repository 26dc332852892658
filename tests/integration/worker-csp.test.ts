/**
 * The builder's render worker is served with its own Content-Security-Policy (eval allowed,
 * nothing else), and documents keep theirs, plus `worker-src 'self'`.
 * See docs/decisions/006-render-worker-csp.md. Needs `node scripts/build-workers.mjs` after the
 * Remix build (chained in `npm run build`).
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BASE_SECURITY_HEADERS, RENDER_WORKER_CSP } from "~/server/observability/security-headers";
import { ROOT } from "../support/paths";
import { startServer, type RunningServer } from "../support/server";

const manifestFile = path.join(ROOT, "build", "workers.json");

describe("render worker CSP (production server)", () => {
  let server: RunningServer;
  let workerUrl: string;
  beforeAll(async () => {
    if (!fs.existsSync(manifestFile))
      throw new Error("build/workers.json is missing: run `node scripts/build-workers.mjs` after `remix build`");
    workerUrl = (JSON.parse(fs.readFileSync(manifestFile, "utf8")) as { render: string }).render;
    server = await startServer();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("gives the builder pages the hashed worker URL", async () => {
    expect(workerUrl).toMatch(/^\/build\/workers\/render-[A-Za-z0-9]+\.js$/);
    for (const page of ["/prompts/new?starter=blank", "/prompts/support-reply/edit"]) {
      const res = await fetch(`${server.baseUrl}${page}`);
      expect(res.status, page).toBe(200);
      expect(await res.text(), page).toContain(workerUrl);
    }
  });

  it("serves the worker script and its chunks with exactly the worker's CSP", async () => {
    const chunks = fs
      .readdirSync(path.join(ROOT, "public", "build", "workers"))
      .filter((f) => f.endsWith(".js"))
      .map((f) => `/build/workers/${f}`);
    expect(chunks).toContain(workerUrl);
    expect(chunks.length).toBeGreaterThan(1); // the tokenizer encodings are chunks of their own
    for (const url of chunks) {
      const res = await fetch(`${server.baseUrl}${url}`);
      expect(res.status, url).toBe(200);
      expect(res.headers.get("content-type"), url).toMatch(/javascript/);
      // One policy, exactly this one: a second header would be enforced as well.
      expect(res.headers.get("content-security-policy"), url).toBe(
        "default-src 'none'; script-src 'self' 'unsafe-eval'",
      );
      expect(res.headers.get("content-security-policy"), url).toBe(RENDER_WORKER_CSP);
      expect(res.headers.get("x-content-type-options"), url).toBe("nosniff");
      expect(res.headers.get("cache-control"), url).toMatch(/immutable/);
      await res.arrayBuffer();
    }
  });

  it("keeps the strict default CSP on every other asset and response", async () => {
    const html = await (await fetch(`${server.baseUrl}/prompts/new?starter=blank`)).text();
    const asset = /(\/build\/(?!workers\/)[^"]+\.js)/.exec(html)?.[1];
    expect(asset).toBeTruthy();
    for (const url of [asset!, "/favicon.svg", "/api/health"]) {
      const res = await fetch(`${server.baseUrl}${url}`);
      expect(res.headers.get("content-security-policy"), url).toBe(BASE_SECURITY_HEADERS["Content-Security-Policy"]);
      await res.arrayBuffer();
    }
    // Near misses of the worker path are 404 documents with the document CSP: never eval.
    for (const url of ["/build/workers-not.js", "/build/workers/sub/x.js", "/build/workers/x.js.map"]) {
      const res = await fetch(`${server.baseUrl}${url}`);
      expect(res.status, url).toBe(404);
      expect(res.headers.get("content-security-policy"), url).not.toContain("unsafe-eval");
      await res.arrayBuffer();
    }
  });

  it("leaves the documents' CSP as it was, plus worker-src 'self'", async () => {
    for (const page of ["/", "/prompts/new?starter=blank"]) {
      const res = await fetch(`${server.baseUrl}${page}`);
      const csp = res.headers.get("content-security-policy")!;
      expect(csp.split(",")).toHaveLength(1);
      const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
      expect(nonce).toBeTruthy();
      const directives = csp.split("; ");
      expect(directives).toContain("worker-src 'self'");
      expect(csp).not.toContain("unsafe-eval");
      expect(directives.filter((d) => d !== "worker-src 'self'").join("; ")).toBe(
        [
          "default-src 'self'",
          `script-src 'self' 'nonce-${nonce}'`,
          "style-src 'self' 'unsafe-inline'",
          "img-src 'self' data: blob:",
          "font-src 'self' data:",
          "connect-src 'self'",
          "object-src 'none'",
          "base-uri 'self'",
          "form-action 'self'",
          "frame-ancestors 'self'",
        ].join("; "),
      );
      await res.arrayBuffer();
    }
  });
});
