/**
 * Single sign-on (issue 12) against a real OpenID provider (oidc-provider, in this process on
 * loopback) and the production build, on SQLite and PostgreSQL: the first sign-on makes the account
 * with OIDC_DEFAULT_ROLE, the next one reuses it; a callback whose state or nonce does not match its
 * flow is refused with 400 and writes nothing; a disallowed domain, an unverified e-mail claiming
 * an existing account, and a deactivated account are refused with a clear message.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "~/server/db.server";
import { encodeFlow, type Flow } from "~/server/auth/oidc.server";
import { DATABASE_KINDS } from "../support/databases";
import { createTestProvider, type TestProvider } from "../support/oidc-provider";
import { startServer, type RunningServer } from "../support/server";

const SECRET = "o".repeat(40);

type Jar = Map<string, string>;
function keep(jar: Jar, res: Response) {
  for (const c of res.headers.getSetCookie()) {
    const [pair] = c.split(";");
    const eq = pair!.indexOf("=");
    const name = pair!.slice(0, eq);
    const value = pair!.slice(eq + 1);
    if (value === "" || /max-age=0/i.test(c) || /expires=thu, 01 jan 1970/i.test(c)) jar.delete(name);
    else jar.set(name, value);
  }
}
const cookieHeader = (jar: Jar) => [...jar].map(([k, v]) => `${k}=${v}`).join("; ");

describe.each(DATABASE_KINDS)("single sign-on with OpenID Connect — $label", ({ kind, skip }) => {
  let provider: TestProvider;
  let server: RunningServer;
  let db: Db;

  const app = (path: string, jar: Jar, init: RequestInit = {}) =>
    fetch(server.baseUrl + path, {
      ...init,
      redirect: "manual",
      headers: { ...(init.headers as Record<string, string>), Cookie: cookieHeader(jar) },
    });

  /** Starts a flow at the app: the provider's authorization URL, with the flow cookie in `jar`. */
  async function start(jar: Jar, query = ""): Promise<string> {
    const res = await app(`/auth/oidc${query}`, jar);
    expect(res.status).toBe(302);
    keep(jar, res);
    expect(jar.has("pb_oidc")).toBe(true);
    const location = res.headers.get("location")!;
    expect(location.startsWith(provider.issuer)).toBe(true);
    const params = new URL(location).searchParams;
    expect(params.get("code_challenge_method")).toBe("S256");
    expect(params.get("state")).toBeTruthy();
    expect(params.get("nonce")).toBeTruthy();
    return location;
  }

  /** Logs in at the provider's own login page as `login`; returns the app callback URL it sends back. */
  async function atProvider(authorizationUrl: string, login: string): Promise<string> {
    const jar: Jar = new Map();
    let url = authorizationUrl;
    for (let hop = 0; hop < 10; hop++) {
      if (url.startsWith(server.baseUrl)) return url;
      let res = await fetch(url, { redirect: "manual", headers: { Cookie: cookieHeader(jar) } });
      keep(jar, res);
      if (res.status === 200) {
        const html = await res.text();
        const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
        expect(action, html.slice(0, 400)).toBeTruthy();
        res = await fetch(new URL(action!, url), {
          method: "POST",
          redirect: "manual",
          headers: { Cookie: cookieHeader(jar), "Content-Type": "application/x-www-form-urlencoded" },
          body: new URLSearchParams({ prompt: "login", login, password: "any" }).toString(),
        });
        keep(jar, res);
      }
      expect([302, 303]).toContain(res.status);
      url = new URL(res.headers.get("location")!, url).href;
    }
    throw new Error("the provider did not send the browser back");
  }

  async function signOn(login: string, query = "") {
    const jar: Jar = new Map();
    const callback = await atProvider(await start(jar, query), login);
    const res = await app(callback.slice(server.baseUrl.length), jar);
    keep(jar, res);
    return { res, jar };
  }

  const counts = async () => ({
    users: await db.user.count(),
    sessions: await db.session.count(),
    identities: await db.oidcIdentity.count(),
  });

  beforeAll(async () => {
    if (skip) return;
    provider = await createTestProvider({
      ada: { email: "Ada@Example.test", email_verified: true, name: "Ada Lovelace" },
      mallory: { email: "mallory@elsewhere.test", email_verified: true, name: "Mallory" },
      impostor: { email: "admin@example.test", email_verified: false, name: "Not the admin" },
      pat: { email: "pat@example.test", email_verified: true, name: "Pat" },
    });
    server = await startServer({
      database: kind,
      seed: false,
      env: {
        ENABLE_AUTH: "true",
        SESSION_SECRET: SECRET,
        OIDC_ISSUER: provider.issuer,
        OIDC_CLIENT_ID: provider.clientId,
        OIDC_CLIENT_SECRET: provider.clientSecret,
        OIDC_ALLOWED_DOMAINS: "example.test",
        OIDC_DEFAULT_ROLE: "editor",
        OIDC_DISPLAY_NAME: "Test ID",
      },
    });
    await provider.start(server.baseUrl);
    db = createDb(server.databaseUrl).db;
    const first = await app("/signup", new Map(), {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        name: "admin",
        email: "admin@example.test",
        password: "correct horse admin battery",
      }).toString(),
    });
    expect(first.status).toBe(302);
  }, 120_000);
  afterAll(async () => {
    await db?.$disconnect();
    await server?.stop();
    await provider?.stop();
  });

  it.skipIf(skip)("the login page offers the provider by its configured name", async () => {
    const html = await (await app("/login", new Map())).text();
    expect(html).toContain("Sign in with <!-- -->Test ID");
    expect(html).toContain('href="/auth/oidc"');
  });

  it.skipIf(skip)("the first sign-on makes the account with the default role and signs in", async () => {
    const before = await counts();
    const { res, jar } = await signOn("ada", "?redirectTo=%2Ftags");
    expect(res.status, await res.clone().text()).toBe(302);
    expect(res.headers.get("location")).toBe("/tags");
    expect(jar.has("pb_oidc")).toBe(false);
    const user = await db.user.findUniqueOrThrow({ where: { email: "ada@example.test" } });
    expect(user).toMatchObject({ role: "editor", name: "Ada Lovelace", passwordHash: null, active: true });
    expect(await db.oidcIdentity.findMany({ select: { issuer: true, subject: true, userId: true } })).toEqual([
      { issuer: provider.issuer, subject: "ada", userId: user.id },
    ]);
    expect(await counts()).toEqual({
      ...before,
      users: before.users + 1,
      sessions: before.sessions + 1,
      identities: 1,
    });
    // The session works: a page that needs the editor role answers.
    const page = await app("/prompts/new", jar);
    expect(page.status).toBe(200);
  });

  it.skipIf(skip)("the next sign-on reuses the account", async () => {
    const before = await counts();
    const { res } = await signOn("ada");
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/");
    expect(await counts()).toEqual({ ...before, sessions: before.sessions + 1 });
  });

  it.skipIf(skip)("refuses a callback whose state belongs to another flow, and writes nothing", async () => {
    const mine: Jar = new Map();
    const other: Jar = new Map();
    const callback = await atProvider(await start(mine), "pat");
    await start(other);
    const before = await counts();
    const res = await app(callback.slice(server.baseUrl.length), other);
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(/does not belong to this sign-in/);
    expect(await counts()).toEqual(before);
    // Without the flow cookie at all.
    const bare = await app(callback.slice(server.baseUrl.length), new Map());
    expect(bare.status).toBe(400);
    expect(await bare.text()).toMatch(/not started here/);
    expect(await counts()).toEqual(before);
    expect(await db.user.findUnique({ where: { email: "pat@example.test" } })).toBeNull();
  });

  it.skipIf(skip)("refuses an ID token whose nonce does not match the flow's, and writes nothing", async () => {
    const jar: Jar = new Map();
    const callback = await atProvider(await start(jar), "pat");
    // The same flow (state, PKCE verifier), signed with the right secret, but another nonce.
    const [payload] = decodeURIComponent(jar.get("pb_oidc")!).split(".");
    const flow = JSON.parse(Buffer.from(payload!, "base64url").toString("utf8")) as Flow;
    jar.set("pb_oidc", encodeFlow({ ...flow, nonce: "not-the-nonce-that-was-sent" }, [SECRET]));
    const before = await counts();
    const res = await app(callback.slice(server.baseUrl.length), jar);
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(/nonce/);
    expect(await counts()).toEqual(before);
  });

  it.skipIf(skip)("refuses an e-mail outside the allowed domains with a clear message", async () => {
    const before = await counts();
    const { res } = await signOn("mallory");
    expect(res.status).toBe(403);
    expect(await res.text()).toContain(
      "Sign-in with mallory@elsewhere.test is not allowed here: its domain is not one of this instance&#x27;s (example.test).",
    );
    expect(await counts()).toEqual(before);
  });

  it.skipIf(skip)("an unverified e-mail does not take over the password account that has it", async () => {
    const admin = await db.user.findUniqueOrThrow({ where: { email: "admin@example.test" } });
    const before = await counts();
    const { res } = await signOn("impostor");
    expect(res.status).toBe(403);
    expect(await res.text()).toMatch(/has not verified admin@example.test/);
    expect(await counts()).toEqual(before);
    expect(await db.oidcIdentity.count({ where: { userId: admin.id } })).toBe(0);
  });

  it.skipIf(skip)("a verified e-mail links to the existing account with it, keeping its role", async () => {
    const pat = await db.user.create({ data: { email: "pat@example.test", name: "Pat", role: "viewer" } });
    const { res } = await signOn("pat");
    expect(res.status).toBe(302);
    expect(await db.oidcIdentity.findFirst({ where: { subject: "pat" }, select: { userId: true } })).toEqual({
      userId: pat.id,
    });
    expect((await db.user.findUniqueOrThrow({ where: { id: pat.id } })).role).toBe("viewer");
  });

  it.skipIf(skip)("refuses a deactivated account, and its identity cannot make a new one", async () => {
    await db.user.update({ where: { email: "ada@example.test" }, data: { active: false } });
    const before = await counts();
    const { res } = await signOn("ada");
    expect(res.status).toBe(403);
    expect(await res.text()).toMatch(/This account is deactivated/);
    expect(await counts()).toEqual(before);
  });
});
