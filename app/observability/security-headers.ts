/**
 * Security headers. Every response gets BASE_SECURITY_HEADERS (set by the HTTP instrumentation, so
 * static files and resource routes get them too); HTML documents get a CSP with a per-request
 * nonce from entry.server.tsx, which replaces the strict default CSP.
 */
export const BASE_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "X-Content-Type-Options": "nosniff",
  "X-Frame-Options": "SAMEORIGIN",
  "Referrer-Policy": "strict-origin-when-cross-origin",
  "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()",
  // Non-document responses (JSON, assets) never need to run or embed anything.
  "Content-Security-Policy": "default-src 'none'; frame-ancestors 'self'; base-uri 'none'",
};

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
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'self'",
  ].join("; ");
}
