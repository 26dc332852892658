import { describe, expect, it } from "vitest";
import { etagFor, ifNoneMatch, READ_CACHE_CONTROL, representationResponse } from "./etag.server";

describe("read validators", () => {
  it("derives a strong ETag from the version and the exact bytes", () => {
    const tag = etagFor('{"a":1}', "v1");
    expect(tag).toMatch(/^"v1\.[A-Za-z0-9_-]{22}"$/);
    expect(etagFor('{"a":1}', "v1")).toBe(tag);
    expect(etagFor('{"a":2}', "v1")).not.toBe(tag);
    expect(etagFor('{"a":1}', "v2")).not.toBe(tag);
    expect(etagFor('{"a":1}')).toMatch(/^"[A-Za-z0-9_-]{22}"$/);
  });

  it("matches If-None-Match as RFC 9110 says: lists, *, and weak comparison", () => {
    const tag = '"v1.abc"';
    expect(ifNoneMatch(null, tag)).toBe(false);
    expect(ifNoneMatch(tag, tag)).toBe(true);
    expect(ifNoneMatch(`"x", ${tag}`, tag)).toBe(true);
    expect(ifNoneMatch(`W/${tag}`, tag)).toBe(true);
    expect(ifNoneMatch("*", tag)).toBe(true);
    expect(ifNoneMatch('"v1.abd"', tag)).toBe(false);
    expect(ifNoneMatch("v1.abc", tag)).toBe(false);
  });

  it("answers 304 without a body when the client has it, 200 with it otherwise", async () => {
    const rep = { body: '{"a":1}', etag: '"t"' };
    const fresh = representationResponse(new Request("http://x/"), rep);
    expect(fresh.status).toBe(200);
    expect(fresh.headers.get("etag")).toBe('"t"');
    expect(fresh.headers.get("cache-control")).toBe(READ_CACHE_CONTROL);
    expect(await fresh.text()).toBe('{"a":1}');
    const same = representationResponse(new Request("http://x/", { headers: { "if-none-match": '"t"' } }), rep);
    expect(same.status).toBe(304);
    expect(same.headers.get("etag")).toBe('"t"');
    expect(same.headers.get("cache-control")).toBe(READ_CACHE_CONTROL);
    expect(await same.text()).toBe("");
  });
});
