import http from "node:http";
import net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { checkRequest, configureRateLimits, limitOrNull, setRateLimitIdentity } from "./rate-limit.server";

/** A request as Node's server hands it over, from `address` (an unconnected socket reporting it). */
function request(headers: Record<string, string> = {}, method = "POST", url = "/prompts/x", address = "10.0.0.1") {
  const socket = new net.Socket();
  Object.defineProperty(socket, "remoteAddress", { value: address });
  const req = new http.IncomingMessage(socket);
  req.method = method;
  req.url = url;
  req.headers = headers;
  return req;
}

afterEach(() => {
  setRateLimitIdentity(undefined);
  configureRateLimits({ render: 0, write: 0, save: 0, login: 0 }, 0);
});

describe("rate limits for the request wrapper", () => {
  it("keys by the verified identity an async resolver returns, by address otherwise", async () => {
    configureRateLimits({ render: 0, write: 1, save: 0, login: 0 }, 0);
    setRateLimitIdentity(async (req) => (req.headers.authorization === "Bearer good" ? { tokenId: "t1" } : undefined));
    const token = request({ authorization: "Bearer good" });
    const first = checkRequest(token, "routes/prompts.$slug._index");
    expect(first).toBeInstanceOf(Promise);
    expect(await first).toEqual({ ok: true });
    expect(await checkRequest(request({ authorization: "Bearer good" }, "POST", "/x", "10.9.9.9"), "x")).toMatchObject({
      ok: false,
      kind: "write",
    });
    // The same address without the token has its own (address) bucket.
    expect(await checkRequest(request(), "routes/prompts.$slug._index")).toEqual({ ok: true });
    expect(await checkRequest(request(), "routes/prompts.$slug._index")).toMatchObject({ ok: false });
  });

  it("answers synchronously without a resolver, and leaves reads alone", () => {
    configureRateLimits({ render: 0, write: 1, save: 0, login: 0 }, 0);
    expect(checkRequest(request({}, "GET"), "routes/_index")).toEqual({ ok: true });
    expect(checkRequest(request({}, "GET"), "routes/_index")).toEqual({ ok: true });
    expect(checkRequest(request(), "routes/_index")).toEqual({ ok: true });
    expect(checkRequest(request(), "routes/_index")).toMatchObject({ ok: false, retryAfterSeconds: 60 });
  });

  it("gives routes a 429 problem with Retry-After", async () => {
    configureRateLimits({ render: 0, write: 0, save: 1, login: 0 }, 0);
    expect(limitOrNull("token:t1", ["save"])).toBeNull();
    const res = limitOrNull("token:t1", ["save"])!;
    expect(res.status).toBe(429);
    expect(res.headers.get("Retry-After")).toBe("60");
    expect(res.headers.get("Content-Type")).toBe("application/problem+json");
    expect(await res.json()).toEqual({
      status: 429,
      error: "Too many saves: try again in 60 s.",
      issues: [{ path: [], message: "at most 1 saves a minute per client" }],
    });
  });
});
