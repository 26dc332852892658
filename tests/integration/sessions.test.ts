/**
 * Issue 12: a user sees their own sessions on /settings (device, address, sign-in, last seen, this
 * one marked) and ends any of them; the admin sees everyone's on /admin and revokes any. An ended
 * session stops working on its very next request, page and API alike.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "~/server/db.server";
import { startServer, type RunningServer } from "../support/server";

const FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";
const SAFARI =
  "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1";

let server: RunningServer;
let db: Db;

function req(path: string, init: RequestInit & { cookie?: string; ua?: string; from?: string } = {}) {
  const headers = new Headers(init.headers);
  if (init.cookie) headers.set("Cookie", init.cookie);
  if (init.ua) headers.set("User-Agent", init.ua);
  if (init.from) headers.set("X-Forwarded-For", init.from);
  return fetch(server.baseUrl + path, { ...init, headers, redirect: "manual" });
}
const form = (fields: Record<string, string>) => ({
  method: "POST",
  headers: { "Content-Type": "application/x-www-form-urlencoded" },
  body: new URLSearchParams(fields).toString(),
});
const cookieOf = (res: Response) =>
  res.headers
    .getSetCookie()
    .find((c) => c.startsWith("pb_session="))!
    .split(";")[0]!;
async function logIn(email: string, password: string, ua: string, from: string) {
  const res = await req("/login", { ...form({ email, password }), ua, from });
  expect(res.status).toBe(302);
  return cookieOf(res);
}
const text = (html: string) => html.replace(/<!-- -->/g, "");

const ADMIN = { email: "admin@example.test", password: "correct horse admin battery" };
const EVE = { email: "eve@example.test", password: "correct horse eve battery" };

beforeAll(async () => {
  server = await startServer({
    database: "sqlite",
    seed: false,
    env: { ENABLE_AUTH: "true", SESSION_SECRET: "q".repeat(40), TRUST_PROXY: "1", SIGNUP: "open" },
  });
  db = createDb(server.databaseUrl).db;
  expect((await req("/signup", form({ name: "Admin", ...ADMIN }))).status).toBe(302);
  expect((await req("/signup", form({ name: "Eve", ...EVE }))).status).toBe(302);
}, 60_000);
afterAll(async () => {
  await db?.$disconnect();
  await server?.stop();
});

describe("sessions", () => {
  it("a user lists their own sessions, this one marked, and ends another one at once", async () => {
    const laptop = await logIn(EVE.email, EVE.password, FIREFOX, "198.51.100.7");
    const phone = await logIn(EVE.email, EVE.password, SAFARI, "203.0.113.9");
    const adminCookie = await logIn(ADMIN.email, ADMIN.password, FIREFOX, "192.0.2.1");
    const html = text(await (await req("/settings", { cookie: laptop })).text());
    expect(html).toContain("Firefox on Linux");
    expect(html).toContain("198.51.100.7");
    expect(html).toContain("Safari on iOS");
    expect(html).toContain("203.0.113.9");
    // Only hers: not the admin's session.
    expect(html).not.toContain("192.0.2.1");
    // "this session" sits in the laptop's row.
    const laptopRow = /<tr>(?:(?!<\/tr>).)*198\.51\.100\.7(?:(?!<\/tr>).)*<\/tr>/s.exec(html)![0];
    expect(laptopRow).toContain("this session");
    const phoneRow = /<tr>(?:(?!<\/tr>).)*203\.0\.113\.9(?:(?!<\/tr>).)*<\/tr>/s.exec(html)![0];
    expect(phoneRow).not.toContain("this session");

    expect((await req("/settings", { cookie: phone })).status).toBe(200);
    const phoneSession = await db.session.findFirstOrThrow({ where: { ip: "203.0.113.9" } });
    const end = await req("/settings", { ...form({ intent: "revoke-session", id: phoneSession.id }), cookie: laptop });
    expect(end.status).toBe(200);
    expect(await end.text()).toContain("Session ended");
    // The phone is out on its next request, page and API.
    const page = await req("/settings", { cookie: phone });
    expect(page.status).toBe(302);
    expect(page.headers.get("location")).toMatch(/^\/login/);
    expect((await req("/api/v1/prompts", { cookie: phone })).status).toBe(401);
    // The laptop still works.
    expect((await req("/settings", { cookie: laptop })).status).toBe(200);

    // Another user's session is not hers to end: nothing changes.
    const adminSession = await db.session.findFirstOrThrow({ where: { ip: "192.0.2.1" } });
    const foreign = await req("/settings", {
      ...form({ intent: "revoke-session", id: adminSession.id }),
      cookie: laptop,
    });
    expect(foreign.status).toBe(404);
    expect((await req("/settings", { cookie: adminCookie })).status).toBe(200);

    // Ending this very session logs out.
    const laptopSession = await db.session.findFirstOrThrow({ where: { ip: "198.51.100.7" } });
    const self = await req("/settings", {
      ...form({ intent: "revoke-session", id: laptopSession.id }),
      cookie: laptop,
    });
    expect(self.status).toBe(302);
    expect(self.headers.get("location")).toBe("/login");
    expect(self.headers.getSetCookie().some((c) => /^pb_session=;.*Max-Age=0/.test(c))).toBe(true);
    expect((await req("/settings", { cookie: laptop })).status).toBe(302);
  });

  it("the admin lists every session with its user and device, and revokes any at once", async () => {
    const eve = await logIn(EVE.email, EVE.password, SAFARI, "203.0.113.50");
    const admin = await logIn(ADMIN.email, ADMIN.password, FIREFOX, "192.0.2.2");
    const html = text(await (await req("/admin", { cookie: admin })).text());
    expect(html).toContain("eve@example.test");
    expect(html).toContain("203.0.113.50");
    expect(html).toContain("Safari on iOS");
    expect(html).toContain("this session");
    const target = await db.session.findFirstOrThrow({ where: { ip: "203.0.113.50" } });
    const res = await req("/admin", { ...form({ intent: "revoke-session", id: target.id }), cookie: admin });
    expect(res.status).toBe(200);
    expect((await req("/", { cookie: eve })).status).toBe(302);
    expect((await req("/api/v1/prompts", { cookie: eve })).status).toBe(401);
  });
});
