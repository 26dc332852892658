import { describe, expect, it } from "vitest";
import { BASE_SECURITY_HEADERS, documentCsp } from "./security-headers";

describe("security headers", () => {
  it("allows only nonce-bearing scripts in documents", () => {
    const csp = documentCsp("abc123");
    expect(csp).toContain("script-src 'self' 'nonce-abc123'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("frame-ancestors 'self'");
    expect(csp).not.toContain("ws:");
    expect(documentCsp("n", { development: true })).toContain("connect-src 'self' ws:");
  });

  it("sets the baseline headers the design asks for", () => {
    expect(BASE_SECURITY_HEADERS).toMatchObject({
      "X-Content-Type-Options": "nosniff",
      "X-Frame-Options": "SAMEORIGIN",
      "Referrer-Policy": "strict-origin-when-cross-origin",
    });
    expect(BASE_SECURITY_HEADERS["Permissions-Policy"]).toContain("camera=()");
  });
});
