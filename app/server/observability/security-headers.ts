/**
 * Security headers. Every response gets BASE_SECURITY_HEADERS (set by the HTTP instrumentation, so
 * static files and resource routes get them too); HTML documents get a CSP with a per-request
 * nonce from entry.server.tsx, which replaces the strict default CSP. The builder's render worker
 * script gets RENDER_WORKER_CSP instead (docs/decisions/006-render-worker-csp.md).
 */
export const BASE_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "X-Content-Type-Options": "nosniff",
  "X-Frame-Options": "SAMEORIGIN",
  "Referrer-Policy": "strict-origin-when-cross-origin",
  "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()",
  // Non-document responses (JSON, assets) never need to run or embed anything.
  "Content-Security-Policy": "default-src 'none'; frame-ancestors 'self'; base-uri 'none'",
};

/**
 * The policy of the builder's render worker (/build/workers/*.js). Under CSP3 a dedicated worker
 * is governed by the headers of its own script, not by the page's policy. Handlebars compiles
 * templates with `new Function`, so the worker may eval — and nothing else: no connect-src (the
 * default 'none' applies), so code it evaluates cannot reach the network; it may only load its own
 * chunks ('self').
 */
export const RENDER_WORKER_CSP = "default-src 'none'; script-src 'self' 'unsafe-eval'";

export function documentCsp(nonce: string, options: { development?: boolean } = {}): string {
  const connect = ["'self'"];
  if (options.development) connect.push("ws:");
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}'`,
    // React style attributes and CodeMirror's injected styles need inline styles.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src ${connect.join(" ")}`,
    // The builder's render worker (same-origin script; its own CSP allows eval, this page's does not).
    "worker-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'self'",
  ].join("; ");
}
