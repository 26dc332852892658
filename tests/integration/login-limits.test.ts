/**
 * Issue 12: log-in, sign-up and password-reset attempts are limited per address (the request
 * wrapper, like every other limit) and per account (the actions), so guessing a password is slow
 * from one address and from many; wrong API tokens are limited per address, checked before the
 * token is. Over the limit: 429 with Retry-After and a clear message, and nothing is made.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "~/server/db.server";
import { startServer, type RunningServer } from "../support/server";

const LIMIT = 3;
let server: RunningServer;
let db: Db;
let adminCookie = "";
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
  adminCookie = first.headers.getSetCookie()[0]!.split(";")[0]!;
  db = createDb(server.databaseUrl).db;
});
afterAll(async () => {
  await db?.$disconnect();
  await server?.stop();
});

function post(address: string, path: string, fields: Record<string, string>, cookie?: string) {
  return fetch(`${server.baseUrl}${path}`, {
    method: "POST",
    redirect: "manual",
    headers: {
      "Content-Type": "application/x-www-form-urlencoded",
      "X-Forwarded-For": address,
      ...(cookie ? { Cookie: cookie } : {}),
    },
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

  it("limits sign-up per address and per e-mail, with a clear message, making no account", async () => {
    for (let i = 0; i < LIMIT; i++) {
      const res = await post("203.0.113.40", "/signup", {
        name: "x",
        email: `probe${i}@example.test`,
        password: "correct horse x battery",
      });
      expect(res.status).toBe(403); // sign-up is by invitation here
    }
    const overAddress = await post("203.0.113.40", "/signup", {
      name: "x",
      email: "fresh@example.test",
      password: "correct horse x battery",
    });
    expect(overAddress.status).toBe(429);
    expect(((await overAddress.json()) as { error: string }).error).toMatch(/Too many sign-in attempts: try again in/);

    for (let i = 0; i < LIMIT; i++) {
      const res = await post(`192.0.2.${50 + i}`, "/signup", {
        name: "x",
        email: "Wanted@example.test",
        password: "correct horse x battery",
      });
      expect(res.status).toBe(403);
    }
    const overAccount = await post("192.0.2.99", "/signup", {
      name: "x",
      email: "wanted@example.test",
      password: "correct horse x battery",
    });
    expect(overAccount.status).toBe(429);
    expect(Number(overAccount.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await overAccount.text()).toMatch(/Too many sign-in attempts: try again in \d+ s\./);
    expect(await db.user.count({ where: { email: { in: ["wanted@example.test", "fresh@example.test"] } } })).toBe(0);
  });

  it("limits password resets per account, whatever address they come from", async () => {
    const user = await db.user.create({ data: { email: "reset-me@example.test", name: "R", role: "viewer" } });
    const made = await post("198.51.100.1", "/admin", { intent: "reset", userId: user.id }, adminCookie);
    const token = /password-reset\?token=([A-Za-z0-9_-]+)/.exec(await made.text())![1]!;
    for (let i = 0; i < LIMIT; i++) {
      // Too short: refused, and counted.
      const res = await post(`198.51.100.${60 + i}`, "/password-reset", { token, password: "short" });
      expect(res.status).toBe(422);
    }
    const over = await post("198.51.100.99", "/password-reset", { token, password: "a long enough new password" });
    expect(over.status).toBe(429);
    expect(Number(over.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await over.text()).toMatch(/Too many sign-in attempts/);
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).passwordHash).toBeNull();
    expect(await db.accountLink.count({ where: { userId: user.id, usedAt: null } })).toBe(1);
  });

  it("limits wrong API tokens per address, before any token is checked", async () => {
    const body = new URLSearchParams({ intent: "token", name: "ci" });
    body.append("scopes", "read");
    const made = await fetch(`${server.baseUrl}/settings`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Cookie: adminCookie },
      body,
    });
    const good = /(pb_[A-Za-z0-9_-]{20,})/.exec(await made.text())![1]!;
    const api = (address: string, token: string) =>
      fetch(`${server.baseUrl}/api/v1/prompts`, {
        headers: { Authorization: `Bearer ${token}`, "X-Forwarded-For": address },
      });
    // Right tokens cost nothing.
    for (let i = 0; i < LIMIT + 2; i++) expect((await api("203.0.113.77", good)).status).toBe(200);
    for (let i = 0; i < LIMIT; i++)
      expect((await api("203.0.113.77", `pb_guess${i}xxxxxxxxxxxxxxxx`)).status).toBe(401);
    const over = await api("203.0.113.77", "pb_guess-next-xxxxxxxxxxxxxxxx");
    expect(over.status).toBe(429);
    expect(over.headers.get("content-type")).toBe("application/problem+json");
    expect(((await over.json()) as { error: string }).error).toMatch(/Too many requests with a wrong API token/);
    // Once limited, even the right token gets 429 from this address: a guesser cannot tell a hit.
    expect((await api("203.0.113.77", good)).status).toBe(429);
    // Another address is not limited, and a spoofed client-address header does not help.
    expect((await api("203.0.113.78", good)).status).toBe(200);
    const spoofed = await fetch(`${server.baseUrl}/api/v1/prompts`, {
      headers: {
        Authorization: "Bearer pb_guess-again-xxxxxxxxxxxxx",
        "X-Forwarded-For": "203.0.113.77",
        "X-Pb-Client-Address": "10.9.9.9",
      },
    });
    expect(spoofed.status).toBe(429);
  });
});
