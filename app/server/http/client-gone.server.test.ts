import http from "node:http";
import type net from "node:net";
import v8 from "node:v8";
import vm from "node:vm";
import { afterEach, describe, expect, it } from "vitest";
import { CONNECTION_KEY_HEADER, onClientGone, trackResponse, trackedResponses } from "./client-gone.server";

/** A Request the way Remix hands one to a loader: a copy of a copy, its signal following the first. */
function remixLikeRequest(req: http.IncomingMessage, signal: AbortSignal): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) if (typeof value === "string") headers.set(name, value);
  const adapter = new Request(`http://localhost${req.url}`, { headers, signal });
  const copy = (r: Request) => new Request(r.url, { headers: r.headers, signal: r.signal });
  return copy(copy(adapter));
}

/** A full garbage collection, without starting the test process with --expose-gc. */
function collectGarbage() {
  v8.setFlagsFromString("--expose-gc");
  (vm.runInNewContext("gc") as () => void)();
}

async function collectTheCopies() {
  for (let i = 0; i < 3; i++) {
    collectGarbage();
    await new Promise((r) => setTimeout(r, 5));
  }
}

let server: http.Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  server = undefined;
});

/** A server whose handler keeps each response open and reports, per request, when its client went. */
async function streamingServer(opts: { track: boolean }) {
  const gone: string[] = [];
  const keys = new Map<string, string>();
  server = http.createServer((req, res) => {
    if (opts.track) trackResponse(req, res);
    keys.set(req.url ?? "", String(req.headers[CONNECTION_KEY_HEADER] ?? ""));
    const controller = new AbortController();
    res.on("close", () => controller.abort());
    const request = remixLikeRequest(req, controller.signal);
    onClientGone(request, () => gone.push(req.url ?? ""));
    res.writeHead(200, { "Content-Type": "text/event-stream" });
    res.write(":\n\n");
  });
  await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  const open = (path: string) =>
    new Promise<http.IncomingMessage>((resolve) =>
      http.get({ port, host: "127.0.0.1", path, agent: false }, (res) => resolve(res)),
    );
  return { gone, open, keys };
}

describe("onClientGone", () => {
  it("fires when the client closes its connection, after garbage collections took the Request copies", async () => {
    const { gone, open } = await streamingServer({ track: true });
    const res = await open("/a");
    await collectTheCopies();
    res.socket.destroy();
    await expect.poll(() => gone).toEqual(["/a"]);
    await expect.poll(() => trackedResponses()).toBe(0);
  });

  it("control: the copied Request's signal alone misses the client going once the copies are collected", async () => {
    const { gone, open } = await streamingServer({ track: false });
    const res = await open("/control");
    await collectTheCopies();
    res.socket.destroy();
    await new Promise((r) => setTimeout(r, 500));
    expect(gone).toEqual([]);
  });

  it("fires at once for a request whose response has already closed", async () => {
    const { open, keys } = await streamingServer({ track: true });
    const res = await open("/b");
    const key = keys.get("/b")!;
    expect(key).toMatch(/^[0-9a-f-]{36}$/);
    res.socket.destroy();
    await expect.poll(() => trackedResponses()).toBe(0);
    let fired = 0;
    onClientGone(new Request("http://localhost/b", { headers: { [CONNECTION_KEY_HEADER]: key } }), () => fired++);
    await expect.poll(() => fired).toBe(1);
  });

  it("stops listening when told to", async () => {
    const { open, keys } = await streamingServer({ track: true });
    const res = await open("/c");
    const key = keys.get("/c")!;
    expect(key).toMatch(/^[0-9a-f-]{36}$/);
    let fired = 0;
    const stop = onClientGone(
      new Request("http://localhost/c", { headers: { [CONNECTION_KEY_HEADER]: key } }),
      () => fired++,
    );
    stop();
    res.socket.destroy();
    await expect.poll(() => trackedResponses()).toBe(0);
    expect(fired).toBe(0);
  });

  it("falls back to the signal for a request the HTTP wrapper never saw", async () => {
    const controller = new AbortController();
    let fired = 0;
    onClientGone(new Request("http://localhost/", { signal: controller.signal }), () => fired++);
    controller.abort();
    expect(fired).toBe(1);
  });
});
