import { describe, expect, it } from "vitest";
import { rateLimitKinds } from "./classify";
import { clientAddress, clientKey } from "./client-key";
import { RateLimiter, TokenBuckets } from "./token-bucket";

describe("token buckets", () => {
  it("peek says whether a key would pass without charging; charge spends a try after a failure", () => {
    let now = 0;
    const limiter = new RateLimiter({ render: 0, write: 0, save: 0, login: 2 }, { now: () => now });
    for (let i = 0; i < 5; i++) expect(limiter.peek("k", ["login"])).toEqual({ ok: true });
    limiter.charge("k", ["login"]);
    limiter.charge("k", ["login"]);
    expect(limiter.peek("k", ["login"])).toEqual({ ok: false, kind: "login", retryAfterSeconds: 30, limit: 2 });
    // Charging an empty bucket does not push it below empty.
    limiter.charge("k", ["login"]);
    now += 30_000;
    expect(limiter.peek("k", ["login"])).toEqual({ ok: true });
    expect(limiter.peek("other", ["login"])).toEqual({ ok: true });
  });

  it("allows a minute's burst, then refills at the steady rate and says when to retry", () => {
    let now = 0;
    const buckets = new TokenBuckets(60, 100, () => now);
    for (let i = 0; i < 60; i++) {
      expect(buckets.wait("a")).toBe(0);
      buckets.take("a");
    }
    expect(buckets.wait("a")).toBe(1);
    now += 1000;
    expect(buckets.wait("a")).toBe(0);
    buckets.take("a");
    expect(buckets.wait("a")).toBe(1);
  });

  it("says how long until the next token at slow rates", () => {
    let now = 0;
    const buckets = new TokenBuckets(2, 100, () => now);
    buckets.take("a");
    buckets.take("a");
    expect(buckets.wait("a")).toBe(30);
    now += 29_000;
    expect(buckets.wait("a")).toBe(1);
    now += 1000;
    expect(buckets.wait("a")).toBe(0);
  });

  it("is off at 0", () => {
    const buckets = new TokenBuckets(0);
    for (let i = 0; i < 1000; i++) buckets.take("a");
    expect(buckets.wait("a")).toBe(0);
    expect(buckets.clients).toBe(0);
  });

  it("remembers at most maxClients, least recently seen out first", () => {
    const buckets = new TokenBuckets(1, 3, () => 0);
    for (const key of ["a", "b", "c"]) buckets.take(key);
    expect(buckets.wait("a")).toBeGreaterThan(0); // touches a: b is now the oldest
    buckets.take("d");
    expect(buckets.clients).toBe(3);
    expect(buckets.wait("b")).toBe(0); // b was forgotten (and is remembered again, full)
    expect(buckets.wait("a")).toBeGreaterThan(0);
    for (let i = 0; i < 10_000; i++) buckets.take(`k${i}`);
    expect(buckets.clients).toBe(3);
  });
});

describe("rate limiter", () => {
  it("charges every kind of a request or none", () => {
    const limiter = new RateLimiter({ render: 0, write: 3, save: 1, login: 0 }, { now: () => 0 });
    expect(limiter.check("k", ["write", "save"])).toEqual({ ok: true });
    expect(limiter.check("k", ["write", "save"])).toMatchObject({ ok: false, kind: "save", limit: 1 });
    // The refused save took no write token: two writes are left.
    expect(limiter.check("k", ["write"]).ok).toBe(true);
    expect(limiter.check("k", ["write"]).ok).toBe(true);
    expect(limiter.check("k", ["write"])).toMatchObject({ ok: false, kind: "write", retryAfterSeconds: 20 });
    expect(limiter.check("other", ["write"]).ok).toBe(true);
    for (let i = 0; i < 100; i++) expect(limiter.check("k", ["render"]).ok).toBe(true);
  });
});

describe("which limits a request is charged to", () => {
  it.each([
    ["GET", "/api/prompts/x", undefined, []],
    ["HEAD", "/", "routes/_index", []],
    ["POST", "/api/prompts/x/render", "routes/api.prompts.$slug.render", ["render"]],
    ["POST", "/api/v1/prompts/x/render", "unmatched", ["render"]],
    ["POST", "/resources/render", "routes/resources.render", ["render"]],
    ["POST", "/prompts/new", "routes/prompts.new", ["write", "save"]],
    ["POST", "/prompts/x/edit.data", "routes/prompts.$slug.edit", ["write", "save"]],
    ["POST", "/prompts/x/history", "routes/prompts.$slug.history", ["write", "save"]],
    ["POST", "/prompts/x", "routes/prompts.$slug._index", ["write"]],
    ["DELETE", "/anything", "unmatched", ["write"]],
    ["POST", "/tags", undefined, ["write"]],
    ["POST", "/login", "routes/login", ["write", "login"]],
    ["POST", "/signup.data", "routes/signup", ["write", "login"]],
    ["POST", "/password-reset", "routes/password-reset", ["write", "login"]],
    ["GET", "/login", "routes/login", []],
    ["POST", "/snippets/s/update", "routes/snippets.$name_.update", ["write", "save"]],
    ["POST", "/api/v1/prompts", "routes/api.v1.prompts", ["write", "save"]],
    ["POST", "/api/v1/prompts/x/versions", "routes/api.v1.prompts.$slug.versions", ["write", "save"]],
    ["POST", "/api/v1/snippets", "routes/api.v1.snippets", ["write", "save"]],
    ["POST", "/api/v1/snippets/s/versions", "routes/api.v1.snippets.$name.versions", ["write", "save"]],
    ["POST", "/api/v1/prompts/x/labels/production", "routes/api.v1.prompts.$slug.labels.$name", ["write"]],
    ["DELETE", "/api/v1/prompts/x", "routes/api.v1.prompts.$slug", ["write"]],
  ] as const)("%s %s (%s) → %j", (method, path, route, kinds) => {
    expect(rateLimitKinds(method, path, route)).toEqual(kinds);
  });
});

describe("client address and key", () => {
  it("uses the peer address unless proxies are trusted", () => {
    expect(clientAddress("10.0.0.5", "1.2.3.4", 0)).toBe("10.0.0.5");
    expect(clientAddress("::ffff:10.0.0.5", undefined, 0)).toBe("10.0.0.5");
  });

  it("takes the entry as many places from the right as there are trusted proxies", () => {
    // The client forged the first entry; the proxy appended the real address.
    expect(clientAddress("10.0.0.1", "6.6.6.6, 198.51.100.7", 1)).toBe("198.51.100.7");
    expect(clientAddress("10.0.0.1", ["6.6.6.6", "198.51.100.7, 10.1.1.1"], 2)).toBe("198.51.100.7");
    expect(clientAddress("10.0.0.1", "198.51.100.7", 3)).toBe("198.51.100.7");
    expect(clientAddress("10.0.0.1", "198.51.100.7:4321", 1)).toBe("198.51.100.7");
    expect(clientAddress("10.0.0.1", "not-an-address", 1)).toBe("10.0.0.1");
    expect(clientAddress("10.0.0.1", "", 1)).toBe("10.0.0.1");
  });

  it("groups IPv6 clients by their /64", () => {
    expect(clientAddress("2001:db8:1:2:aaaa::1", undefined, 0)).toBe("2001:db8:1:2::/64");
    expect(clientAddress("2001:db8:1:2:bbbb:cccc:dddd:eeee", undefined, 0)).toBe("2001:db8:1:2::/64");
    expect(clientAddress("::1", undefined, 0)).toBe("0:0:0:0::/64");
    expect(clientAddress("10.0.0.1", "[2001:db8::5]:80", 1)).toBe("2001:db8:0:0::/64");
  });

  it("keys by verified token, then user, then address", () => {
    expect(clientKey({ address: "1.2.3.4" })).toBe("ip:1.2.3.4");
    expect(clientKey({ address: "1.2.3.4", userId: "u1" })).toBe("user:u1");
    expect(clientKey({ address: "1.2.3.4", userId: "u1", tokenId: "t1" })).toBe("token:t1");
  });
});
