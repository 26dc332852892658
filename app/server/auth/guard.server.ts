/**
 * The one gate every loader and action goes through (tests/integration/auth-gate.test.ts fails for a
 * route module that calls none of these):
 * - `requireUser(request, role)`  pages and page actions: no session → redirect to /login with a
 *   return path; too small a role → 403.
 * - `requireApi(request, scope)`  the JSON API: a bearer token with the scope, or a session; else
 *   401/403 problem+json. A token never does more than its owner's role.
 * - `publicRoute()`  marks the few routes anyone may reach (probes, login, sign-up, theme).
 * With ENABLE_AUTH=false every request is the local user, allowed everything (single-user mode).
 */
import { safeRedirectPath } from "~/server/http/safe-redirect.server";
import { data, redirect } from "@remix-run/node";
import { getDb } from "../db.server";
import { getEnv } from "../env.server";
import { problemOf, problemResponse } from "../http/problem.server";
import { authenticateToken, bearerToken, type TokenGrant } from "./api-token.server";
import type { Actor } from "./actor";
import { requestClientAddress } from "../http/client-address.server";
import { roleAtLeast, SCOPE_ROLE, type Role, type Scope } from "./roles";
import { readSession, type AuthUser } from "./session.server";
import { chargeFailure, failureGate, limitAddress } from "../rate-limit/rate-limit.server";

export type Principal =
  | { kind: "local"; user: null; role: "admin" }
  | { kind: "session"; user: AuthUser; role: Role; sessionId: string }
  | { kind: "token"; user: AuthUser; role: Role; grant: TokenGrant };

export const LOCAL: Principal = { kind: "local", user: null, role: "admin" };

/** Marks a route anyone may reach, so the gate test knows it was decided, not forgotten. */
export function publicRoute(): void {}

/**
 * A same-origin path to return to after login, or "/" when the value is not one (`//`, `/\`,
 * control characters, absolute URLs: the shared rule of safe-redirect.server.ts, decision 064).
 */
export function safeReturnPath(value: unknown): string {
  if (typeof value !== "string" || value.length > 2000) return "/";
  return safeRedirectPath(value) ?? "/";
}

function returnPathOf(request: Request): string {
  const url = new URL(request.url);
  const path = url.pathname.replace(/\.data$/, "").replace(/^\/_root$/, "/") || "/";
  url.searchParams.delete("_routes");
  const search = url.searchParams.toString();
  return path + (search ? `?${search}` : "");
}

/** The principal of a request, or null when auth is on and nobody is logged in. */
export async function currentPrincipal(request: Request): Promise<Principal | null> {
  if (!getEnv().ENABLE_AUTH) return LOCAL;
  const session = await readSession(request);
  return session
    ? { kind: "session", user: session.user, role: session.user.role, sessionId: session.sessionId }
    : null;
}

function forbiddenPage(role: Role, needed: Role): never {
  throw data(`This needs the ${needed} role; your account is a ${role}.`, { status: 403 });
}

/** Pages: the logged-in user with at least `needed`, else a redirect to login (or 403). */
export async function requireUser(request: Request, needed: Role = "viewer"): Promise<Principal> {
  const principal = await currentPrincipal(request);
  if (!principal) {
    const returnPath = returnPathOf(request);
    throw redirect(returnPath === "/" ? "/login" : `/login?redirectTo=${encodeURIComponent(returnPath)}`);
  }
  if (!roleAtLeast(principal.role, needed)) forbiddenPage(principal.role, needed);
  return principal;
}

function apiProblem(status: 401 | 403, error: string): never {
  const headers: Record<string, string> = status === 401 ? { "WWW-Authenticate": 'Bearer realm="prompt-builder"' } : {};
  throw problemResponse(
    problemOf(status, error, [{ path: [], message: status === 401 ? "unauthenticated" : "forbidden" }]),
    {
      headers,
    },
  );
}

/** The API: a bearer token with `scope` (and an owner who may use it), or a session; else 401/403. */
export async function requireApi(request: Request, scope: Scope): Promise<Principal> {
  if (!getEnv().ENABLE_AUTH) return LOCAL;
  const token = bearerToken(request);
  let principal: Principal | null;
  if (token) {
    // Wrong tokens are limited like wrong passwords, per address (the limit is checked before the
    // token is, so once limited a guesser learns nothing).
    const key = `bearer:${limitAddress(request)}`;
    const gate = failureGate(key, ["login"]);
    if (!gate.ok)
      throw problemResponse(
        problemOf(429, `Too many requests with a wrong API token: try again in ${gate.retryAfterSeconds} s.`, [
          { path: [], message: `at most ${gate.limit} wrong tokens a minute per client` },
        ]),
        { headers: { "Retry-After": String(gate.retryAfterSeconds) } },
      );
    const found = await authenticateToken(token);
    if (!found) chargeFailure(key, ["login"]);
    if (!found) apiProblem(401, "The API token is not valid (unknown, revoked, or its owner is deactivated).");
    principal = { kind: "token", user: found.user, role: found.user.role, grant: found.grant };
    if (!found.grant.scopes.includes(scope)) apiProblem(403, `This token lacks the "${scope}" scope.`);
  } else {
    principal = await currentPrincipal(request);
    if (!principal) apiProblem(401, "Log in or send an API token (Authorization: Bearer …).");
  }
  if (!roleAtLeast(principal.role, SCOPE_ROLE[scope]))
    apiProblem(403, `The "${scope}" scope needs the ${SCOPE_ROLE[scope]} role; the account is a ${principal.role}.`);
  return principal;
}

/** A token limited to labels may render (or move) only those labels. */
export function assertTokenLabel(principal: Principal, label: string | undefined): void {
  if (principal.kind !== "token" || principal.grant.labels.length === 0) return;
  if (!label || !principal.grant.labels.includes(label))
    apiProblem(403, `This token is limited to the labels ${principal.grant.labels.join(", ")}; name one of them.`);
}

/** Who may see which prompts: null = all of them (admin, or single-user mode). */
export function visibilityScope(principal: Principal): { userId: string } | null {
  if (principal.kind === "local" || principal.role === "admin") return null;
  return { userId: principal.user.id };
}

/** Whether a prompt is visible within a visibility scope (null: everything is). */
export function visibleInScope(
  scope: { userId: string } | null,
  prompt: { ownerId: string | null; visibility: string },
): boolean {
  return !scope || prompt.visibility !== "private" || prompt.ownerId === scope.userId;
}

export function canSeePrompt(principal: Principal, prompt: { ownerId: string | null; visibility: string }): boolean {
  return visibleInScope(visibilityScope(principal), prompt);
}

/** Throws 404 (as for a prompt that does not exist) when the principal may not see the prompt. */
async function assertPromptVisible(principal: Principal, slug: string, api: boolean): Promise<void> {
  if (!visibilityScope(principal)) return;
  const prompt = await getDb().prompt.findUnique({ where: { slug }, select: { ownerId: true, visibility: true } });
  if (!prompt || canSeePrompt(principal, prompt)) return;
  if (api)
    throw problemResponse(
      problemOf(404, "This prompt does not exist or is in the trash.", [{ path: ["slug"], message: "not found" }]),
    );
  throw data("There is nothing at this address.", { status: 404 });
}

/** Pages under /prompts/:slug: requireUser, then the prompt must be visible to the user. */
export async function requirePromptPage(request: Request, slug: string | undefined, needed: Role = "viewer") {
  const principal = await requireUser(request, needed);
  await assertPromptVisible(principal, slug ?? "", false);
  return principal;
}

/** API routes under /api/v1/prompts/:slug: requireApi, then the prompt must be visible to the caller. */
export async function requirePromptApi(request: Request, slug: string | undefined, scope: Scope) {
  const principal = await requireApi(request, scope);
  await assertPromptVisible(principal, slug ?? "", true);
  return principal;
}

/**
 * The actor a route hands to repositories: label moves check its role, the audit log records its
 * user, token, e-mail and the client's address (the rate limiter's TRUST_PROXY rule).
 */
export function actorOf(principal: Principal, request?: Request): Actor {
  return {
    id: principal.user?.id ?? null,
    role: principal.role,
    tokenId: principal.kind === "token" ? principal.grant.id : null,
    label: principal.user?.email ?? "single-user mode",
    address: request ? requestClientAddress(request) : "",
  };
}

/** Bulk and trash actions name prompts by id: every one must be visible to the principal (else 404). */
export async function requireVisiblePromptIds(principal: Principal, ids: readonly string[]): Promise<void> {
  const scope = visibilityScope(principal);
  if (!scope || ids.length === 0) return;
  const hidden = await getDb().prompt.count({
    where: { id: { in: [...ids] }, visibility: "private", NOT: { ownerId: scope.userId } },
  });
  if (hidden > 0) throw data("There is nothing at this address.", { status: 404 });
}
