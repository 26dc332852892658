/**
 * Readiness follows the database: stopped → 503 with the reason, back → 200, without restarting
 * the app. The database is "stopped" by closing a TCP proxy that stands between the app and
 * PostgreSQL, which is exactly what the app sees when the database goes away.
 */
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPostgresDatabase, POSTGRES_URL } from "../support/postgres";
import { freePort, startServer, waitFor, type RunningServer } from "../support/server";
import { DATABASE_KINDS } from "../support/databases";

class TcpProxy {
  private server?: net.Server;
  private sockets = new Set<net.Socket>();
  constructor(
    readonly port: number,
    private readonly target: { host: string; port: number },
  ) {}
  start() {
    this.server = net.createServer((client) => {
      const upstream = net.connect(this.target.port, this.target.host);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on("close", () => this.sockets.delete(s));
        s.on("error", () => s.destroy());
      }
      client.pipe(upstream).pipe(client);
    });
    return new Promise<void>((resolve) => this.server!.listen(this.port, "127.0.0.1", resolve));
  }
  stop() {
    for (const s of this.sockets) s.destroy();
    return new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

const postgres = DATABASE_KINDS.find((d) => d.kind === "postgres")!;

describe.skipIf(postgres.skip)(`readiness when the database stops and returns — ${postgres.label}`, () => {
  let server: RunningServer;
  let proxy: TcpProxy;
  let dropDb: () => Promise<void>;

  beforeAll(async () => {
    const created = await createPostgresDatabase();
    dropDb = created.drop;
    const upstream = new URL(POSTGRES_URL);
    proxy = new TcpProxy(await freePort(), { host: upstream.hostname, port: Number(upstream.port || 5432) });
    await proxy.start();
    const viaProxy = new URL(created.url);
    viaProxy.hostname = "127.0.0.1";
    viaProxy.port = String(proxy.port);
    server = await startServer({ databaseUrl: viaProxy.toString() });
  });
  afterAll(async () => {
    await server?.stop();
    await proxy?.stop();
    await dropDb?.();
  });

  it("goes 200 → 503 → 200 as the database goes away and comes back", async () => {
    const health = () => fetch(`${server.baseUrl}/api/health`);
    expect((await health()).status).toBe(200);

    await proxy.stop();
    const down = await health();
    expect(down.status).toBe(503);
    const body = await down.json();
    expect(body).toMatchObject({ status: "unhealthy", database: "disconnected" });
    expect(body.error).toEqual(expect.any(String));
    // Liveness does not depend on the database.
    expect((await fetch(`${server.baseUrl}/healthz`)).status).toBe(200);
    // The API answers a 503 problem (never a 500 text/plain) while the database is away.
    const api = (path: string) => `${server.baseUrl}/api/v1${path}`;
    for (const res of [
      await fetch(api("/prompts")),
      await fetch(api("/prompts/support-reply")),
      await fetch(api("/prompts/support-reply/render"), { method: "POST", body: "{}" }),
    ]) {
      expect(res.status, res.url).toBe(503);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
      expect(await res.json()).toMatchObject({ status: 503, error: expect.any(String), issues: [] });
    }

    await proxy.start();
    await waitFor(async () => (await health()).status === 200, 15_000, "readiness to recover");
    expect(server.child.exitCode).toBeNull();
  });
});
