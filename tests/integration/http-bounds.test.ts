/**
 * Issue 10's bounds at the HTTP layer, against the production build:
 * - every body has a cap, forms included, chunked or not: 413 before the body is buffered, and the
 *   server's memory does not grow with what the client keeps sending (figures printed);
 * - slow clients (headers or body trickled) are cut off within the configured timeouts;
 * - per-client rate limits on renders, writes and saves answer 429 problem+json with Retry-After,
 *   the refused write is not made, and another client is not limited.
 * No timing is asserted: times are printed, and waits use expect.poll.
 */
import fs from "node:fs";
import http from "node:http";
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pollHealth } from "../support/poll-health";
import { startServer, type RunningServer } from "../support/server";

const FORM_LIMIT = 1024 * 1024;
const JSON_LIMIT = 512 * 1024;
const DEFAULT_LIMIT = 64 * 1024;

function rssMb(pid: number): number {
  const kb = /VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
  return Number(kb) / 1024;
}

/** Sends a raw request head (and optional body) and collects what comes back until the server closes. */
function rawRequest(port: number, data: string, waitMs = 5000) {
  return new Promise<{ text: string; closedByServer: boolean }>((resolve, reject) => {
    const socket = net.connect(port, "127.0.0.1", () => socket.write(data));
    let text = "";
    socket.on("data", (d) => (text += d));
    socket.on("close", () => resolve({ text, closedByServer: true }));
    socket.on("error", (e: NodeJS.ErrnoException) => (e.code === "ECONNRESET" ? undefined : reject(e)));
    setTimeout(() => {
      socket.destroy();
      resolve({ text, closedByServer: false });
    }, waitMs).unref();
  });
}

/**
 * Streams up to `totalBytes` of a chunked body and stops sending as soon as the response arrives.
 * Returns the response and how many bytes were sent by then.
 */
function streamBody(port: number, path: string, contentType: string, totalBytes: number, prefix = "") {
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string; sent: number }>(
    (resolve, reject) => {
      let sent = 0;
      let answered = false;
      const req = http.request(
        { host: "127.0.0.1", port, path, method: "POST", headers: { "Content-Type": contentType } },
        (res) => {
          answered = true;
          let body = "";
          res.on("data", (d) => (body += d));
          res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body, sent }));
          res.on("error", () => resolve({ status: res.statusCode!, headers: res.headers, body, sent }));
        },
      );
      // After the answer the server closes the connection: writes then fail, which is expected.
      req.on("error", (e) => (answered ? undefined : reject(e)));
      const chunk = Buffer.alloc(64 * 1024, "a");
      req.write(prefix);
      const pump = () => {
        while (!answered && sent < totalBytes) {
          sent += chunk.length;
          if (!req.write(chunk)) return void req.once("drain", pump);
        }
        if (!answered) req.end();
      };
      pump();
    },
  );
}

describe("body caps at the HTTP layer", () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer({
      seed: false,
      env: {
        BODY_LIMIT_FORM_BYTES: String(FORM_LIMIT),
        BODY_LIMIT_JSON_BYTES: String(JSON_LIMIT),
        BODY_LIMIT_DEFAULT_BYTES: String(DEFAULT_LIMIT),
        RATE_LIMIT_WRITES_PER_MINUTE: "0",
        RATE_LIMIT_SAVES_PER_MINUTE: "0",
        RATE_LIMIT_RENDER_PER_MINUTE: "0",
      },
    });
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
  });

  it.each([
    ["a form", "application/x-www-form-urlencoded", FORM_LIMIT],
    ["JSON", "application/json", JSON_LIMIT],
    ["any other body", "text/plain", DEFAULT_LIMIT],
  ])("refuses %s declaring more than its limit unread, on any route", async (_what, type, limit) => {
    for (const path of ["/prompts/new", "/api/v1/prompts", "/no-such-page"]) {
      const { text, closedByServer } = await rawRequest(
        server.port,
        `POST ${path} HTTP/1.1\r\nHost: x\r\nContent-Type: ${type}\r\nContent-Length: ${limit + 1}\r\n\r\n`,
      );
      const [head, body] = text.split("\r\n\r\n");
      expect(head).toMatch(/^HTTP\/1\.1 413 /);
      expect(head!.toLowerCase()).toContain("content-type: application/problem+json");
      expect(head!.toLowerCase()).toContain("connection: close");
      expect(JSON.parse(body!)).toEqual({
        status: 413,
        error: "The request body is too large.",
        issues: [{ path: [], message: `at most ${limit} bytes` }],
      });
      expect(closedByServer).toBe(true);
    }
  });

  it("refuses a 300 MB chunked form at its limit, without buffering it", async () => {
    const before = rssMb(server.pid);
    const poller = pollHealth(server.baseUrl);
    await poller.answered(3);
    const t0 = performance.now();
    const res = await streamBody(
      server.port,
      "/prompts/new",
      "application/x-www-form-urlencoded",
      300 * 1024 * 1024,
      "name=x&draft=",
    );
    const ms = performance.now() - t0;
    const health = await poller.stop();
    const after = rssMb(server.pid);
    console.info(
      `300 MB chunked form: ${res.status} after ${(res.sent / 1024 / 1024).toFixed(1)} MB sent, in ${ms.toFixed(0)} ms; server RSS ${before.toFixed(0)} → ${after.toFixed(0)} MB; /healthz answered ${health.length} times meanwhile, slowest ${Math.max(...health).toFixed(0)} ms`,
    );
    expect(health.length).toBeGreaterThan(0);
    expect(res.status).toBe(413);
    expect(JSON.parse(res.body)).toMatchObject({ status: 413, issues: [{ message: `at most ${FORM_LIMIT} bytes` }] });
    // The client stopped once refused: far less than 300 MB went out (socket buffers hold a few MB).
    expect(res.sent).toBeLessThan(64 * 1024 * 1024);
    // Nothing of the body is kept: RSS does not grow by anything near the body's size.
    expect(after - before).toBeLessThan(64);
    expect((await fetch(`${server.baseUrl}/healthz`)).status).toBe(200);
  });

  it("refuses chunked bodies past their limit on a route that does not read them, and on JSON routes", async () => {
    // /healthz answers without reading the body: the server then cuts the connection once the
    // body passes the limit, which the client may see as its answer or as a broken pipe.
    const other = await streamBody(server.port, "/healthz", "application/octet-stream", 8 * 1024 * 1024).catch(
      (error: NodeJS.ErrnoException) => ({ status: error.code, sent: 0 }),
    );
    expect([200, 405, 413, "EPIPE", "ECONNRESET"]).toContain(other.status);
    expect((await fetch(`${server.baseUrl}/healthz`)).status).toBe(200);
    const json = await streamBody(
      server.port,
      "/api/v1/prompts/anything/render",
      "application/json",
      8 * 1024 * 1024,
      '{"variables":{"x":"',
    );
    expect(json.status).toBe(413);
    expect(json.sent).toBeLessThan(8 * 1024 * 1024);
  });

  it("still accepts a chunked form under the limit (the handler reads it whole)", async () => {
    const res = await streamBody(server.port, "/prompts/new", "application/x-www-form-urlencoded", 256 * 1024, "x=");
    // The handler read it and found no valid draft: its own 4xx, not 413.
    expect(res.status).not.toBe(413);
    expect(res.status).toBeLessThan(500);
  });
});

describe("slow clients", () => {
  let server: RunningServer;
  const HEADERS_MS = 1000;
  const REQUEST_MS = 2000;
  beforeAll(async () => {
    server = await startServer({
      seed: false,
      env: {
        HTTP_HEADERS_TIMEOUT_MS: String(HEADERS_MS),
        HTTP_REQUEST_TIMEOUT_MS: String(REQUEST_MS),
        HTTP_KEEP_ALIVE_TIMEOUT_MS: "1000",
      },
    });
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
  });

  /** Opens a socket and writes `parts` one by one every `everyMs` until the server closes it. */
  function trickle(parts: string[], everyMs: number) {
    return new Promise<{ text: string; ms: number; sentParts: number }>((resolve) => {
      const t0 = performance.now();
      const socket = net.connect(server.port, "127.0.0.1");
      let text = "";
      let sentParts = 0;
      const timer = setInterval(() => {
        if (sentParts < parts.length && socket.writable) socket.write(parts[sentParts++]!);
      }, everyMs);
      socket.on("data", (d) => (text += d));
      socket.on("error", () => undefined);
      socket.on("close", () => {
        clearInterval(timer);
        resolve({ text, ms: performance.now() - t0, sentParts });
      });
    });
  }

  it("cuts off a client that trickles its headers (slowloris) with 408 or a closed socket", async () => {
    const head = "GET /healthz HTTP/1.1\r\nHost: x\r\n";
    const parts = [head, ...Array.from({ length: 600 }, (_, i) => `X-Slow-${i}: y\r\n`), "\r\n"];
    const slow = trickle(parts, 100);
    // Meanwhile another client is served.
    expect((await fetch(`${server.baseUrl}/healthz`)).status).toBe(200);
    const r = await slow;
    console.info(
      `headers trickled: closed after ${r.ms.toFixed(0)} ms (${r.sentParts} of ${parts.length} parts sent; headersTimeout ${HEADERS_MS} ms); answer: ${r.text.split("\r\n")[0] || "(none)"}`,
    );
    expect(r.sentParts).toBeLessThan(parts.length);
    if (r.text) expect(r.text).toMatch(/^HTTP\/1\.1 408 /);
  });

  it("cuts off a client that trickles its body", async () => {
    const head =
      "POST /prompts/new HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100000\r\n\r\n";
    const parts = [head, ...Array.from({ length: 1000 }, () => "a=bbbbbbbb&")];
    const r = await trickle(parts, 100);
    console.info(
      `body trickled: closed after ${r.ms.toFixed(0)} ms (${r.sentParts} of ${parts.length} parts sent; requestTimeout ${REQUEST_MS} ms); answer: ${r.text.split("\r\n")[0] || "(none)"}`,
    );
    expect(r.sentParts).toBeLessThan(parts.length);
    if (r.text) expect(r.text).toMatch(/^HTTP\/1\.1 408 /);
    expect((await fetch(`${server.baseUrl}/healthz`)).status).toBe(200);
  });

  it("closes an idle keep-alive connection after the keep-alive timeout", async () => {
    const r = await rawRequest(server.port, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n", 20_000);
    console.info(`idle keep-alive connection closed by the server: ${r.closedByServer}`);
    expect(r.text).toMatch(/^HTTP\/1\.1 200 /);
    expect(r.closedByServer).toBe(true);
  });
});

describe("rate limits per client", () => {
  let server: RunningServer;
  const LIMITS = { render: 4, write: 5, save: 3 };
  beforeAll(async () => {
    server = await startServer({
      env: {
        RATE_LIMIT_RENDER_PER_MINUTE: String(LIMITS.render),
        RATE_LIMIT_WRITES_PER_MINUTE: String(LIMITS.write),
        RATE_LIMIT_SAVES_PER_MINUTE: String(LIMITS.save),
        // The tests stand in for a proxy: the client is the last X-Forwarded-For entry.
        TRUST_PROXY: "1",
      },
    });
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
  });

  const as = (address: string, init: RequestInit = {}) => ({
    redirect: "manual" as const,
    ...init,
    headers: { "X-Forwarded-For": `203.0.113.99, ${address}`, Origin: server.baseUrl, ...init.headers },
  });

  const render = (address: string) =>
    fetch(
      `${server.baseUrl}/api/v1/prompts/support-reply/render`,
      as(address, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ variables: {} }),
      }),
    );

  async function expect429(res: Response, what: string) {
    expect(res.status).toBe(429);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    const retryAfter = Number(res.headers.get("retry-after"));
    expect(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60).toBe(true);
    const body = await res.json();
    expect(body).toMatchObject({ status: 429, issues: [{ path: [] }] });
    expect(body.error).toContain(what);
    return body;
  }

  it("limits renders per client, and not another client", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < LIMITS.render; i++) {
      const res = await render("198.51.100.1");
      await res.arrayBuffer();
      statuses.push(res.status);
    }
    expect(statuses.every((s) => s !== 429)).toBe(true);
    const body = await expect429(await render("198.51.100.1"), "renders");
    console.info(`render limit: ${JSON.stringify(body)}`);
    expect((await render("198.51.100.2")).status).not.toBe(429);
    // Reads are not limited.
    expect((await fetch(`${server.baseUrl}/api/v1/prompts/support-reply`, as("198.51.100.1"))).status).toBe(200);
  });

  it("limits writes per client and does not make the refused write", async () => {
    const details = (address: string, description: string) =>
      fetch(
        `${server.baseUrl}/prompts/support-reply`,
        as(address, {
          method: "POST",
          headers: { "Content-Type": "application/x-www-form-urlencoded" },
          body: new URLSearchParams({ intent: "details", name: "Support reply", description, tags: "" }),
        }),
      );
    for (let i = 0; i < LIMITS.write; i++) {
      const res = await details("198.51.100.10", `write ${i}`);
      expect(res.status).toBeLessThan(400);
    }
    await expect429(await details("198.51.100.10", "refused"), "writes");
    const prompt = await (await fetch(`${server.baseUrl}/api/v1/prompts/support-reply`)).json();
    expect(prompt.description).toBe(`write ${LIMITS.write - 1}`);
    expect((await details("198.51.100.11", "other client")).status).toBeLessThan(400);
  });

  it("limits saves per client and does not create the refused version", async () => {
    const save = (address: string, name: string) =>
      fetch(
        `${server.baseUrl}/prompts/new`,
        as(address, {
          method: "POST",
          headers: { "Content-Type": "application/x-www-form-urlencoded" },
          body: new URLSearchParams({
            name,
            description: "",
            tags: "",
            folder: "",
            message: "",
            draft: JSON.stringify({
              sections: [{ kind: "task", title: "T", template: "Hello", enabled: true, examples: [] }],
              variables: [],
              modelSettings: { model: "gpt-4o", stop: [] },
            }),
          }),
        }),
      );
    const list = async () =>
      ((await (await fetch(`${server.baseUrl}/api/v1/prompts?q=ratelimited`)).json()) as { items: unknown[] }).items
        .length;
    for (let i = 0; i < LIMITS.save; i++) expect((await save("198.51.100.20", `ratelimited ${i}`)).status).toBe(302);
    await expect429(await save("198.51.100.20", "ratelimited refused"), "saves");
    expect(await list()).toBe(LIMITS.save);
    // A client on another address of its own (a real peer address, no forwarding header) is not limited.
    const status = await new Promise<number>((resolve, reject) => {
      const req = http.request(
        {
          host: "127.0.0.1",
          port: server.port,
          localAddress: "127.0.0.2",
          path: "/prompts/new",
          method: "POST",
          headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: server.baseUrl },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode!);
        },
      );
      req.on("error", reject);
      req.end(
        new URLSearchParams({
          name: "ratelimited other",
          draft: JSON.stringify({
            sections: [{ kind: "task", title: "T", template: "Hi", enabled: true, examples: [] }],
            variables: [],
            modelSettings: { model: "gpt-4o", stop: [] },
          }),
        }).toString(),
      );
    });
    expect(status).toBe(302);
    expect(await list()).toBe(LIMITS.save + 1);
  });
});
