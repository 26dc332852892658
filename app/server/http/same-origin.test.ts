import { describe, expect, it } from "vitest";
import { crossSiteReason, requestHost } from "./same-origin";

const headers =
  (h: Record<string, string>) =>
  (name: string): string | null =>
    h[name] ?? null;

describe("crossSiteReason", () => {
  const host = { host: "app.example:3000" };

  it("lets reads and programs without Origin or Sec-Fetch-Site through", () => {
    expect(crossSiteReason("GET", "/", headers({ ...host, origin: "http://evil.example" }))).toBeNull();
    expect(crossSiteReason("POST", "/prompts/x", headers(host))).toBeNull();
    expect(crossSiteReason("POST", "/prompts/x", headers({ ...host, origin: "http://app.example:3000" }))).toBeNull();
    expect(crossSiteReason("POST", "/prompts/x", headers({ ...host, "sec-fetch-site": "same-origin" }))).toBeNull();
    // A user typing or bookmarking: "none".
    expect(crossSiteReason("POST", "/prompts/x", headers({ ...host, "sec-fetch-site": "none" }))).toBeNull();
  });

  it("refuses a mutating request from another origin, a null or garbled Origin, or a cross-site fetch", () => {
    for (const method of ["POST", "PUT", "PATCH", "DELETE"]) {
      expect(crossSiteReason(method, "/trash", headers({ ...host, origin: "http://evil.example" }))).toMatch(/Origin/);
    }
    expect(crossSiteReason("POST", "/trash", headers({ ...host, origin: "null" }))).not.toBeNull();
    expect(crossSiteReason("POST", "/trash", headers({ ...host, origin: "not a url" }))).not.toBeNull();
    expect(crossSiteReason("POST", "/trash", headers({ ...host, origin: "ftp://app.example:3000" }))).not.toBeNull();
    expect(crossSiteReason("POST", "/trash", headers({ ...host, "sec-fetch-site": "cross-site" }))).toMatch(
      /cross-site/,
    );
    expect(crossSiteReason("POST", "/trash", headers({ ...host, "sec-fetch-site": "same-site" }))).toMatch(/same-site/);
    // Another port is another origin.
    expect(crossSiteReason("POST", "/trash", headers({ ...host, origin: "http://app.example:4000" }))).not.toBeNull();
  });

  it("treats any method but GET on a single-fetch .data URL as an action, as Remix does", () => {
    const evil = headers({ ...host, origin: "http://evil.example" });
    expect(crossSiteReason("HEAD", "/trash.data", evil)).not.toBeNull();
    expect(crossSiteReason("OPTIONS", "/_root.data", evil)).not.toBeNull();
    expect(crossSiteReason("GET", "/trash.data", evil)).toBeNull();
  });

  it("checks the API only when the request carries cookies", () => {
    const evil = { ...host, origin: "http://evil.example" };
    expect(crossSiteReason("POST", "/api/prompts/x/render", headers(evil))).toBeNull();
    expect(crossSiteReason("POST", "/api/prompts/x/render", headers({ ...evil, cookie: "theme=dark" }))).not.toBeNull();
    expect(crossSiteReason("POST", "/api/prompts/x/render.data", headers(evil))).not.toBeNull();
  });

  it("reads the request's host as Remix does: X-Forwarded-Host first", () => {
    expect(requestHost(headers({ host: "a:1", "x-forwarded-host": "b.example, c" }))).toBe("b.example");
    expect(requestHost(headers({ host: "a:1" }))).toBe("a:1");
    const proxied = headers({
      host: "10.0.0.1:3000",
      "x-forwarded-host": "app.example",
      origin: "https://app.example",
    });
    expect(crossSiteReason("POST", "/trash", proxied)).toBeNull();
  });
});
