/**
 * Issue 12: log-in attempts are limited per address (the request wrapper, like every other limit)
 * and per account (the login action), so guessing a password is slow from one address and from
 * many. Over the limit: 429 problem+json with Retry-After, and no session is made.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer, type RunningServer } from "../support/server";

const LIMIT = 3;
let server: RunningServer;
beforeAll(async () => {
  server = await startServer({
    database: "sqlite",
    seed: false,
    env: {
      ENABLE_AUTH: "true",
      SESSION_SECRET: "x".repeat(40),
      TRUST_PROXY: "1",
      RATE_LIMIT_LOGINS_PER_MINUTE: String(LIMIT),
    },
  });
  const first = await post("198.51.100.1", "/signup", {
    name: "admin",
    email: "admin@example.test",
    password: "correct horse admin battery",
  });
  expect(first.status).toBe(302);
});
afterAll(async () => server?.stop());

function post(address: string, path: string, fields: Record<string, string>) {
  return fetch(`${server.baseUrl}${path}`, {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded", "X-Forwarded-For": address },
    body: new URLSearchParams(fields).toString(),
  });
}
const login = (address: string, email: string, password: string) => post(address, "/login", { email, password });

describe("log-in limits", () => {
  it("refuses an address past the limit with 429 and Retry-After, whatever account it tries", async () => {
    for (let i = 0; i < LIMIT; i++) {
      expect((await login("203.0.113.10", `nobody${i}@example.test`, "wrong password")).status).toBe(401);
    }
    const over = await login("203.0.113.10", "admin@example.test", "correct horse admin battery");
    expect(over.status).toBe(429);
    expect(Number(over.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(over.headers.get("content-type")).toBe("application/problem+json");
    expect(((await over.json()) as { error: string }).error).toMatch(/Too many sign-in attempts/);
    expect(over.headers.getSetCookie().some((c) => c.startsWith("pb_session="))).toBe(false);
    // Another address is not limited by it.
    expect((await login("203.0.113.11", "admin@example.test", "correct horse admin battery")).status).toBe(302);
  });

  it("refuses an account past the limit even when every try comes from a new address", async () => {
    for (let i = 0; i < LIMIT; i++) {
      expect((await login(`192.0.2.${i + 1}`, "Target@Example.test", "wrong password")).status).toBe(401);
    }
    const over = await login("192.0.2.99", "target@example.test ", "wrong password");
    expect(over.status).toBe(429);
    expect(await over.text()).toMatch(/Too many sign-in attempts/);
    expect(Number(over.headers.get("retry-after"))).toBeGreaterThan(0);
    // Other accounts from the same new address still get an answer.
    expect((await login("192.0.2.99", "admin@example.test", "correct horse admin battery")).status).toBe(302);
  });
});
