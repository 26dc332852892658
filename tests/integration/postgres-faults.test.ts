/**
 * Issue 11, faults 2 and 3 on PostgreSQL, with a TCP proxy between the app and the database that can
 * refuse connections, stall (keep sockets open but forward nothing, like a dead peer behind a
 * firewall) and heal:
 * - readiness goes 503 during a refusal or a stall and back to 200 after healing, without a restart;
 * - a request during a long stall answers within DATABASE_TIMEOUT_MS with a 503 problem;
 * - SIGTERM during a stall exits promptly;
 * - SIGTERM while requests wait on the database lets them finish: all 2xx, none 5xx.
 */
import { type ChildProcess } from "node:child_process";
import http from "node:http";
import net from "node:net";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { DATABASE_KINDS } from "../support/databases";
import { createPostgresDatabase, POSTGRES_URL } from "../support/postgres";
import { freePort, startServer, waitFor, type RunningServer } from "../support/server";

/** A TCP proxy that can refuse new connections, stall every connection, or forward normally. */
export class FaultProxy {
  private server?: net.Server;
  private pairs = new Set<{ client: net.Socket; upstream: net.Socket }>();
  private held: Array<{ to: net.Socket; chunk: Buffer }> = [];
  mode: "forward" | "refuse" | "stall" | "pause" = "forward";
  constructor(
    readonly port: number,
    private readonly target: { host: string; port: number },
  ) {}

  start() {
    this.server = net.createServer((client) => {
      if (this.mode === "refuse") return client.destroy();
      const upstream = net.connect(this.target.port, this.target.host);
      const pair = { client, upstream };
      this.pairs.add(pair);
      const forward = (from: net.Socket, to: net.Socket) =>
        from.on("data", (chunk: Buffer) => {
          // Stalled: the bytes are swallowed, the sockets stay open and silent. Paused: held back.
          if (this.mode === "forward") to.write(chunk);
          else if (this.mode === "pause") this.held.push({ to, chunk });
        });
      forward(client, upstream);
      forward(upstream, client);
      const close = () => {
        client.destroy();
        upstream.destroy();
        this.pairs.delete(pair);
      };
      for (const s of [client, upstream]) {
        s.on("error", close);
        s.on("close", close);
      }
    });
    return new Promise<void>((resolve) => this.server!.listen(this.port, "127.0.0.1", resolve));
  }

  /** Stall: existing and new connections accept bytes and never answer. */
  stall() {
    this.mode = "stall";
  }
  /** Pause: like a stall, but nothing is lost; `heal()` delivers what was held back. */
  pause() {
    this.mode = "pause";
  }
  /** Refuse: new connections are closed at once, existing ones are cut. */
  refuse() {
    this.mode = "refuse";
    for (const { client, upstream } of this.pairs) {
      client.destroy();
      upstream.destroy();
    }
  }
  /**
   * Heal: forward again. Connections that lost bytes while stalled are out of step with the
   * database, so they are cut (as a real network partition ends in resets); new ones work.
   */
  heal() {
    if (this.mode === "stall") {
      for (const { client, upstream } of this.pairs) {
        client.destroy();
        upstream.destroy();
      }
    }
    this.mode = "forward";
    for (const { to, chunk } of this.held.splice(0)) if (!to.destroyed) to.write(chunk);
  }
  stop() {
    for (const { client, upstream } of this.pairs) {
      client.destroy();
      upstream.destroy();
    }
    return new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

const postgres = DATABASE_KINDS.find((d) => d.kind === "postgres")!;

function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once("exit", (code) => resolve(code)));
}

describe.skipIf(postgres.skip)(`PostgreSQL behind a failing network — ${postgres.label}`, () => {
  const drops: Array<() => Promise<void>> = [];
  const proxies: FaultProxy[] = [];
  const servers: RunningServer[] = [];

  async function setUp(env: Record<string, string> = {}) {
    const created = await createPostgresDatabase();
    drops.push(created.drop);
    const upstream = new URL(POSTGRES_URL);
    const proxy = new FaultProxy(await freePort(), { host: upstream.hostname, port: Number(upstream.port || 5432) });
    await proxy.start();
    proxies.push(proxy);
    const viaProxy = new URL(created.url);
    viaProxy.hostname = "127.0.0.1";
    viaProxy.port = String(proxy.port);
    const server = await startServer({ databaseUrl: viaProxy.toString(), env: { LOG_LEVEL: "info", ...env } });
    servers.push(server);
    await waitFor(async () => (await fetch(`${server.baseUrl}/api/health`)).status === 200, 20_000, "readiness");
    return { proxy, server };
  }

  afterEach(async () => {
    for (const s of servers.splice(0)) await s.stop();
    for (const p of proxies.splice(0)) await p.stop();
  });
  afterAll(async () => {
    for (const drop of drops) await drop();
  });

  const health = (server: RunningServer) =>
    fetch(`${server.baseUrl}/api/health`, { signal: AbortSignal.timeout(15_000) });

  it("recovers by itself after refused connections and after a stall", async () => {
    const { proxy, server } = await setUp();
    proxy.refuse();
    expect((await health(server)).status).toBe(503);
    proxy.heal();
    await waitFor(async () => (await health(server)).status === 200, 15_000, "readiness after the refusal");

    proxy.stall();
    const stalled = Date.now();
    expect((await health(server)).status).toBe(503);
    expect(Date.now() - stalled).toBeLessThan(4000);
    // Reads and saves (transactions) during the stall use, and must give back, the pool's 10 clients.
    const save = (name: string) =>
      fetch(`${server.baseUrl}/prompts/new`, {
        method: "POST",
        redirect: "manual",
        signal: AbortSignal.timeout(30_000),
        body: new URLSearchParams({
          name,
          description: "",
          tags: "",
          folder: "",
          message: "v1",
          draft: JSON.stringify({ sections: [], variables: [] }),
        }),
      });
    const during = await Promise.all([
      ...Array.from({ length: 6 }, () =>
        fetch(`${server.baseUrl}/api/v1/prompts`, { signal: AbortSignal.timeout(30_000) }),
      ),
      ...Array.from({ length: 12 }, (_, i) => save(`During stall ${i}`)),
    ]);
    expect(during.map((r) => r.status).filter((s) => s !== 503)).toEqual([]);
    proxy.heal();
    await waitFor(async () => (await health(server)).status === 200, 20_000, "readiness after the stall");
    const list = await fetch(`${server.baseUrl}/api/v1/prompts`);
    expect(list.status).toBe(200);
    const saves = await Promise.all(Array.from({ length: 12 }, (_, i) => save(`After stall ${i}`)));
    expect(saves.map((r) => r.status)).toEqual(Array(12).fill(302));
    expect(server.child.exitCode).toBeNull();
  }, 90_000);

  it("answers a request during a 20 s stall within DATABASE_TIMEOUT_MS with a 503 problem", async () => {
    const { proxy, server } = await setUp({ DATABASE_TIMEOUT_MS: "2000" });
    proxy.stall();
    const started = Date.now();
    const res = await fetch(`${server.baseUrl}/api/v1/prompts`, { signal: AbortSignal.timeout(20_000) });
    const ms = Date.now() - started;
    expect(res.status).toBe(503);
    expect(res.headers.get("content-type")).toContain("json");
    expect(await res.json()).toMatchObject({ error: expect.stringContaining("not available") });
    // The client-side query timeout is DATABASE_TIMEOUT_MS + 1 s; well under the 20 s stall.
    expect(ms).toBeLessThan(5000);
    expect(ms).toBeGreaterThanOrEqual(1500);
    proxy.heal();
  }, 60_000);

  it("exits promptly on SIGTERM during a stall", async () => {
    const { proxy, server } = await setUp({ SHUTDOWN_TIMEOUT_MS: "1000", DATABASE_TIMEOUT_MS: "20000" });
    proxy.stall();
    const pending = fetch(`${server.baseUrl}/api/v1/prompts`).catch(() => undefined);
    // The request has reached the database (and hangs there) once readiness times out too.
    expect((await health(server)).status).toBe(503);
    const started = Date.now();
    process.kill(server.pid, "SIGTERM");
    const code = await exited(server.child);
    // SHUTDOWN_TIMEOUT_MS (1 s) for the hung request, then at most 2 s for the disconnect.
    expect(Date.now() - started).toBeLessThan(4500);
    expect(code).toBe(0);
    expect(server.output()).toContain("shutdown deadline passed");
    await pending;
  }, 60_000);

  it("lets requests waiting on the database finish after SIGTERM: all 2xx, none 5xx", async () => {
    const { proxy, server } = await setUp();
    const n = 12;
    // Connections opened (and accepted) before the shutdown, kept alive for the real requests.
    const agent = new http.Agent({ keepAlive: true, maxSockets: n });
    const get = (path: string, onWritten?: () => void) =>
      new Promise<number>((resolve, reject) => {
        const req = http.get(`${server.baseUrl}${path}`, { agent }, (res) => {
          res.resume();
          res.on("end", () => resolve(res.statusCode ?? 0));
        });
        req.on("finish", () => onWritten?.());
        req.on("error", reject);
      });
    await Promise.all(Array.from({ length: n }, () => get("/healthz")));

    proxy.pause();
    let written = 0;
    const requests = Array.from({ length: n }, (_, i) => get(i % 2 ? "/api/v1/prompts" : "/", () => written++));
    await waitFor(async () => written === n, 5000, "all requests to be sent");
    process.kill(server.pid, "SIGTERM");
    await waitFor(async () => server.output().includes("shutdown started"), 5000, "the shutdown to start");
    proxy.heal();
    const statuses = await Promise.all(requests);
    agent.destroy();
    expect(statuses.filter((s) => s >= 500)).toEqual([]);
    expect(statuses.every((s) => s >= 200 && s < 300)).toBe(true);
    expect(await exited(server.child)).toBe(0);
  }, 60_000);
});
