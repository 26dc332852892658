import { describe, expect, it } from "vitest";
import { BASE_SECURITY_HEADERS, documentCsp, RENDER_WORKER_CSP } from "./security-headers";

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

  it("lets documents start same-origin workers but never eval themselves", () => {
    const directives = documentCsp("abc123").split("; ");
    expect(directives).toContain("worker-src 'self'");
    expect(directives.filter((d) => d.startsWith("worker-src"))).toHaveLength(1);
    expect(documentCsp("abc123")).not.toContain("unsafe-eval");
  });

  it("gives the render worker eval and nothing else", () => {
    expect(RENDER_WORKER_CSP).toBe("default-src 'none'; script-src 'self' 'unsafe-eval'");
    // No connect-src, img-src, worker-src…: everything but its own scripts falls back to 'none'.
    const directives = RENDER_WORKER_CSP.split("; ").map((d) => d.split(" ")[0]);
    expect(directives).toEqual(["default-src", "script-src"]);
    expect(RENDER_WORKER_CSP).not.toMatch(/unsafe-inline|\*|data:|blob:|https?:/);
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
