/**
 * Issue 11, fault 3 on SQLite (PostgreSQL: postgres-faults.test.ts): SIGTERM while many requests
 * are in flight lets every one of them finish with a 2xx, then the process exits 0. Before, the
 * database was disconnected at once and requests still running failed.
 */
import http from "node:http";
import { afterAll, describe, expect, it } from "vitest";
import { startServer, waitFor, type RunningServer } from "../support/server";

describe("graceful shutdown on SQLite", () => {
  let server: RunningServer | undefined;
  afterAll(async () => {
    await server?.stop();
  });

  it("finishes every in-flight request with 2xx after SIGTERM, then exits 0", async () => {
    server = await startServer({ database: "sqlite", env: { LOG_LEVEL: "info" } });
    const s = server;
    const n = 40;
    // Connections opened and accepted before the shutdown; the real requests reuse them.
    const agent = new http.Agent({ keepAlive: true, maxSockets: n });
    const get = (path: string, onWritten?: () => void) =>
      new Promise<number>((resolve, reject) => {
        const req = http.get(`${s.baseUrl}${path}`, { agent }, (res) => {
          res.resume();
          res.on("end", () => resolve(res.statusCode ?? 0));
        });
        req.on("finish", () => onWritten?.());
        req.on("error", reject);
      });
    await Promise.all(Array.from({ length: n }, () => get("/healthz")));

    let written = 0;
    // Library pages, prompt pages and API reads: each runs several queries and renders.
    const paths = ["/", "/api/v1/prompts", "/prompts/support-reply", "/trash", "/tags"];
    const requests = Array.from({ length: n }, (_, i) => get(paths[i % paths.length]!, () => written++));
    await waitFor(async () => written === n, 5000, "all requests to be sent");
    const started = Date.now();
    process.kill(s.pid, "SIGTERM");
    const statuses = await Promise.all(requests);
    agent.destroy();
    await new Promise<void>((resolve) =>
      s.child.exitCode !== null ? resolve() : s.child.once("exit", () => resolve()),
    );
    expect(statuses.filter((code) => code >= 500)).toEqual([]);
    expect(statuses.filter((code) => code < 200 || code >= 300)).toEqual([]);
    expect(s.child.exitCode).toBe(0);
    expect(Date.now() - started).toBeLessThan(10_000);
    const shutdownLine = s
      .output()
      .split("\n")
      .find((l) => l.includes('"shutdown started"'));
    expect(JSON.parse(shutdownLine!)).toMatchObject({ signal: "SIGTERM", timeoutMs: 10_000 });
    expect(JSON.parse(shutdownLine!).inFlight).toBeGreaterThan(0);
  });
});
