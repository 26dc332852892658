/**
 * Issue 11, fault 7: the app writes one JSON access line per request (method, Remix route id,
 * status, duration, request id) and answers with X-Request-Id; remix-serve's plain-text morgan line
 * is gone; expected 404/405 answers are not logged as errors, and nothing is logged as
 * "[object Object]".
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer, waitFor, type RunningServer } from "../support/server";

type Line = Record<string, unknown> & { level: string; msg: string };

describe("access log and request ids", () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer({ database: "sqlite", env: { LOG_LEVEL: "debug" } });
  });
  afterAll(async () => {
    await server?.stop();
  });

  const lines = () =>
    server
      .output()
      .split("\n")
      .filter((l) => l.trim() !== "");
  // remix-serve's one start-up line ("[remix-serve] http://localhost:…") is printed by its CLI, out of reach.
  const json = () =>
    lines()
      .filter((l) => !l.startsWith("[remix-serve] "))
      .map((l) => JSON.parse(l) as Line);
  const accessLine = (id: string) => json().find((l) => l.msg === "request" && l.request_id === id);

  it("writes one JSON line per request and nothing in plain text", async () => {
    const ids: string[] = [];
    for (const path of ["/", "/api/v1/prompts", "/no-such-page", "/build/does-not-exist.js", "/healthz"]) {
      const res = await fetch(`${server.baseUrl}${path}`);
      await res.arrayBuffer();
      const id = res.headers.get("x-request-id");
      expect(id, path).toMatch(/^[0-9a-f-]{36}$/);
      ids.push(id!);
    }
    await waitFor(async () => ids.every((id) => accessLine(id)), 5000, "the access lines");
    for (const line of lines().filter((l) => !l.startsWith("[remix-serve] http")))
      expect(() => JSON.parse(line), `not JSON: ${line}`).not.toThrow();
    expect(server.output()).not.toMatch(/^(GET|POST|HEAD) \//m);

    const home = accessLine(ids[0]!)!;
    expect(home).toMatchObject({ level: "info", method: "GET", route: "routes/_index", status: 200 });
    expect(home.duration_ms).toEqual(expect.any(Number));
    expect(accessLine(ids[1]!)).toMatchObject({ route: "routes/api.v1.prompts", status: 200 });
    expect(accessLine(ids[2]!)).toMatchObject({ level: "info", status: 404 });
    expect(accessLine(ids[4]!)).toMatchObject({ level: "debug", route: "routes/healthz", status: 200 });
  });

  it("keeps a safe incoming X-Request-Id and replaces an unsafe one", async () => {
    const kept = await fetch(`${server.baseUrl}/healthz`, { headers: { "X-Request-Id": "trace-42.abc" } });
    expect(kept.headers.get("x-request-id")).toBe("trace-42.abc");
    const replaced = await fetch(`${server.baseUrl}/healthz`, {
      headers: { "X-Request-Id": "bad id\twith spaces<script>" },
    });
    expect(replaced.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("logs expected 404 and 405 answers below error level, with their reason", async () => {
    const notFound = await fetch(`${server.baseUrl}/no-such-page-either`);
    // A route without an action: Remix's own 405 (the API's routes answer theirs as a problem).
    const notAllowed = await fetch(`${server.baseUrl}/healthz`, { method: "DELETE" });
    const apiNotAllowed = await fetch(`${server.baseUrl}/api/v1/prompts`, { method: "DELETE" });
    expect([notFound.status, notAllowed.status, apiNotAllowed.status]).toEqual([404, 405, 405]);
    const ids = [notFound, notAllowed, apiNotAllowed].map((r) => r.headers.get("x-request-id"));
    await waitFor(async () => ids.every((id) => accessLine(id!)), 5000, "the access lines");
    const about = json().filter((l) => ids.includes(l.request_id as string));
    expect(about.filter((l) => l.level === "error")).toEqual([]);
    expect(about.some((l) => l.msg === "request rejected" && l.status === 405)).toBe(true);
    expect(server.output()).not.toContain("[object Object]");
  });
});
