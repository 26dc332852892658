/**
 * Cross-site request refusal (CSRF). A mutating request that a browser sent from another origin is
 * refused with 403 before any handler runs. Browsers say where a request comes from in `Origin`
 * (and `Sec-Fetch-Site`); programs (curl, API clients with tokens) send neither and pass. The API
 * is checked only when it carries cookies: without them a cross-origin call acts as nobody.
 * Remix's own check (compare Origin's host with X-Forwarded-Host or Host) throws a 500; this one
 * is at least as strict, so Remix's never fires. See docs/decisions/064-same-origin-and-redirects.md.
 */
import type { Problem } from "~/prompt/problem";

const MUTATING = new Set(["POST", "PUT", "PATCH", "DELETE"]);

type HeaderGet = (name: string) => string | null | undefined;

/** The host the request was sent to, as Remix reads it: the first X-Forwarded-Host, else Host. */
export function requestHost(get: HeaderGet): string | null {
  const forwarded = get("x-forwarded-host")?.split(",")[0]?.trim();
  return forwarded || get("host") || null;
}

function originHost(origin: string): string | null {
  if (origin === "null") return null;
  try {
    const url = new URL(origin);
    return url.protocol === "http:" || url.protocol === "https:" ? url.host : null;
  } catch {
    return null;
  }
}

/** Why this request is cross-site, or null when it may go on. */
export function crossSiteReason(method: string, pathname: string, get: HeaderGet): string | null {
  const data = pathname.endsWith(".data");
  // Remix runs a single-fetch (.data) request of any method but GET as an action.
  if (!MUTATING.has(method.toUpperCase()) && !(data && method.toUpperCase() !== "GET")) return null;
  // Remix checks single-fetch (.data) actions itself, resource routes included: never skip those.
  const api = pathname.toLowerCase().startsWith("/api/") && !data;
  if (api && !get("cookie")) return null;
  const fetchSite = get("sec-fetch-site");
  if (fetchSite && fetchSite !== "same-origin" && fetchSite !== "none") return `Sec-Fetch-Site is ${fetchSite}`;
  const origin = get("origin");
  if (origin === null || origin === undefined) return null;
  const host = requestHost(get);
  const from = originHost(origin);
  if (!from) return "the Origin header is not an http(s) origin";
  if (!host || from.toLowerCase() !== host.toLowerCase()) return "the Origin does not match this site";
  return null;
}

export function crossSiteProblem(reason: string): Problem {
  return {
    status: 403,
    error: "Cross-site requests may not change anything here; send the form from this site.",
    issues: [{ path: [], message: reason }],
  };
}
