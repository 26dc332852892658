/**
 * Request bodies are bounded: a declared length over the global cap is refused before any handler
 * runs (413, connection closed); a chunked body (no length) past a JSON route's limit is answered
 * 413 without being kept in memory, and the connection stays usable. The server keeps serving.
 */
import http from "node:http";
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_RENDER_BODY_BYTES } from "~/api/schemas";
import { MAX_REQUEST_BODY_BYTES } from "~/server/observability/http-instrumentation.server";
import { parseEnv } from "~/server/env.server";
import { startServer, type RunningServer } from "../support/server";

function defaultFormLimit(): number {
  const parsed = parseEnv({});
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.env.BODY_LIMIT_FORM_BYTES;
}

function rawRequest(port: number, head: string): Promise<{ text: string; closedByServer: boolean }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, "127.0.0.1", () => socket.write(head));
    let text = "";
    socket.on("data", (d) => (text += d));
    socket.on("end", () => resolve({ text, closedByServer: true }));
    socket.on("error", reject);
    setTimeout(() => {
      socket.destroy();
      resolve({ text, closedByServer: false });
    }, 5000);
  });
}

function chunkedPost(
  port: number,
  path: string,
  totalBytes: number,
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: "127.0.0.1", port, path, method: "POST", headers: { "Content-Type": "application/json" } },
      (res) => {
        let body = "";
        res.on("data", (d) => (body += d));
        res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body }));
      },
    );
    req.on("error", reject);
    const chunk = Buffer.alloc(64 * 1024, "a");
    req.write('{"variables":{"x":"');
    let sent = 0;
    const pump = () => {
      while (sent < totalBytes) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once("drain", pump);
      }
      req.end('"}}');
    };
    pump();
  });
}

describe("request body limits", () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("refuses a declared length over the global cap before any handler reads it", async () => {
    const { text, closedByServer } = await rawRequest(
      server.port,
      `POST /prompts/new HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${MAX_REQUEST_BODY_BYTES + 1}\r\n\r\nname=x`,
    );
    const [head, body] = text.split("\r\n\r\n");
    expect(head).toMatch(/^HTTP\/1\.1 413 /);
    expect(head!.toLowerCase()).toContain("connection: close");
    expect(head!.toLowerCase()).toContain("x-content-type-options: nosniff");
    expect(head!.toLowerCase()).toContain("content-type: application/problem+json");
    expect(JSON.parse(body!)).toEqual({
      status: 413,
      error: "The request body is too large.",
      // The default form limit answers first (tests/integration/http-bounds.test.ts covers each kind).
      issues: [{ path: [], message: `at most ${defaultFormLimit()} bytes` }],
    });
    expect(closedByServer).toBe(true);
    expect((await fetch(`${server.baseUrl}/api/health`)).status).toBe(200);
  });

  it.each(["/api/v1/prompts/support-reply/render", "/resources/render"])(
    "answers a chunked body past the limit of %s with a 413 problem",
    async (path) => {
      // Past both routes' limits (the API's 1 MB, the builder's render fallback's 2 MB).
      const res = await chunkedPost(server.port, path, 2 * MAX_RENDER_BODY_BYTES + 512 * 1024);
      expect(res.status).toBe(413);
      expect(JSON.parse(res.body)).toMatchObject({
        status: 413,
        error: "The request body is too large.",
        issues: [{ path: [] }],
      });
      expect((await fetch(`${server.baseUrl}/api/health`)).status).toBe(200);
    },
  );

  it("still accepts a chunked body under the limit", async () => {
    const res = await chunkedPost(server.port, "/api/v1/prompts/support-reply/render", 128 * 1024);
    // Read in full and validated: the 128 kB value is over the render cap for one value → 400, not 413.
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body).issues).toContainEqual(expect.objectContaining({ path: ["variables", "x"] }));
  });
});
