/**
 * Which limits a request is charged to, from its method, path and Remix route id:
 * - `render`: a POST to a path ending in `/render` (the API's render, under any API version, and the
 *   builder's server-side render fallback);
 * - `save`: a mutating request to a route whose action can create a version (a prompt created,
 *   saved, restored or merged; a snippet saved) — also charged as a write;
 * - `login`: a POST to log in, sign up or reset a password (per address here; the login action
 *   also charges the account it names) — also charged as a write;
 * - `write`: any other mutating request.
 * Reads are not limited here (the fast read path is what programs poll).
 */
import type { RateLimitKind } from "./token-bucket";

export const MUTATING_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/** Route ids whose actions can write a new prompt or snippet version. */
export const SAVE_ROUTE_IDS = new Set([
  "routes/prompts.new",
  "routes/prompts.$slug.edit",
  "routes/prompts.$slug.history",
  "routes/prompts.$slug.conflict.$id",
  "routes/snippets._index",
  "routes/snippets.$name",
  "routes/snippets.$name_.update",
  "routes/prompts.$slug.conflict._index",
  // The write API (docs/decisions/125): a prompt created, a version added, a snippet created or versioned.
  "routes/api.v1.prompts",
  "routes/api.v1.prompts.$slug.versions",
  "routes/api.v1.snippets",
  "routes/api.v1.snippets.$name.versions",
]);

/** Route ids that take a password or a one-time link: guessing is limited apart from other writes. */
export const LOGIN_ROUTE_IDS = new Set(["routes/login", "routes/signup", "routes/password-reset"]);

export function rateLimitKinds(method: string, pathname: string, routeId: string | undefined): RateLimitKind[] {
  if (!MUTATING_METHODS.has(method)) return [];
  const path = pathname.endsWith(".data") ? pathname.slice(0, -".data".length) : pathname;
  if (method === "POST" && /\/render\/?$/.test(path)) return ["render"];
  if (routeId && SAVE_ROUTE_IDS.has(routeId)) return ["write", "save"];
  if (routeId && LOGIN_ROUTE_IDS.has(routeId)) return ["write", "login"];
  return ["write"];
}
