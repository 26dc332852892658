/**
 * The process's rate limiter and how the request wrapper applies it (docs/decisions/086-rate-limits.md).
 *
 * Every mutating request is charged at the HTTP layer, before any route runs, to the client's key:
 * its address by default (X-Forwarded-For only as far as TRUST_PROXY trusts it). Once requests can
 * be authenticated, register a resolver with `setRateLimitIdentity` (from runtime.server.ts, which
 * may import models): it gets the Node request and returns the verified token or user id, or
 * undefined for an anonymous request; it may be async (the request waits for it, its body unread).
 * Routes that want to charge a limit themselves (after verifying a token, say) call `limitOrNull`.
 */
import type http from "node:http";
import { requestClientAddress } from "~/server/http/client-address.server";
import { data } from "@remix-run/node";
import type { Problem } from "~/prompt/problem";
import { problemOf, problemResponse } from "~/server/http/problem.server";
import { processGlobal } from "~/server/process-global.server";
import { rateLimitKinds } from "./classify";
import { clientAddress, clientKey } from "./client-key";
import { RateLimiter, type Decision, type Limits, type RateLimitKind } from "./token-bucket";

export { clientAddress, clientKey } from "./client-key";
export { MUTATING_METHODS, rateLimitKinds, SAVE_ROUTE_IDS } from "./classify";
export { RateLimiter, type Limits, type RateLimitKind } from "./token-bucket";

export type Identity = { tokenId?: string; userId?: string } | undefined;
export type IdentityResolver = (req: http.IncomingMessage) => Identity | Promise<Identity>;

type State = { limiter: RateLimiter; trustedProxies: number; identify?: IdentityResolver };

const state = processGlobal("rate-limit", (): State => ({
  limiter: new RateLimiter({ render: 0, write: 0, save: 0, login: 0 }),
  trustedProxies: 0,
}));

/** Called once at start-up with the validated configuration; 0 switches a limit off. */
export function configureRateLimits(limits: Limits, trustedProxies: number) {
  state.limiter = new RateLimiter(limits);
  state.trustedProxies = trustedProxies;
}

/** Registers how to recognise an authenticated client (see the module comment). */
export function setRateLimitIdentity(resolver: IdentityResolver | undefined) {
  state.identify = resolver;
}

export function rateLimiter(): RateLimiter {
  return state.limiter;
}

/** The address the limits (and anything else that wants it) see for this request. */
export function requestAddress(req: http.IncomingMessage): string {
  return clientAddress(req.socket.remoteAddress, req.headers["x-forwarded-for"], state.trustedProxies);
}

const KIND_NAMES: Record<RateLimitKind, string> = {
  render: "renders",
  write: "writes",
  save: "saves",
  login: "sign-in attempts",
};

export function rateLimitedProblem(decision: Extract<Decision, { ok: false }>): Problem {
  return problemOf(429, `Too many ${KIND_NAMES[decision.kind]}: try again in ${decision.retryAfterSeconds} s.`, [
    { path: [], message: `at most ${decision.limit} ${KIND_NAMES[decision.kind]} a minute per client` },
  ]);
}

/** For a route: charges `key` to `kinds` and says whether it may go on (or how long to wait). */
export function checkLimit(key: string, kinds: readonly RateLimitKind[]): Decision {
  return state.limiter.check(key, kinds);
}

/** The request's address as the limits see it (TRUST_PROXY applied; client-address.server.ts). */
export function limitAddress(request: Request): string {
  return requestClientAddress(request) || "unknown";
}

/**
 * Failures only (a wrong API token, say): `failureGate` answers 429 while `key` is over the limit —
 * before the credential is even checked, so a guesser cannot tell a hit from a miss once limited —
 * and `chargeFailure` spends one try after a failure. Successes cost nothing.
 */
export function failureGate(key: string, kinds: readonly RateLimitKind[]): Decision {
  return state.limiter.peek(key, kinds);
}

export function chargeFailure(key: string, kinds: readonly RateLimitKind[]): void {
  state.limiter.charge(key, kinds);
}

/** For a route: charges `key` and returns the 429 Response when over the limit, else null. */
export function limitOrNull(key: string, kinds: readonly RateLimitKind[]): Response | null {
  const decision = state.limiter.check(key, kinds);
  if (decision.ok) return null;
  return problemResponse(rateLimitedProblem(decision), {
    headers: { "Retry-After": String(decision.retryAfterSeconds) },
  });
}

/**
 * What the request wrapper calls: the decision for this request (synchronously when no identity
 * resolver is registered), or `ok` for a request no limit applies to.
 */
export function checkRequest(req: http.IncomingMessage, routeId: string | undefined): Decision | Promise<Decision> {
  const kinds = rateLimitKinds(req.method ?? "GET", (req.url ?? "/").split("?")[0] ?? "/", routeId);
  if (kinds.length === 0) return { ok: true };
  const address = requestAddress(req);
  const decide = (identity: Identity) => state.limiter.check(clientKey({ address, ...identity }), kinds);
  const identity = state.identify?.(req);
  return identity instanceof Promise ? identity.then(decide, () => decide(undefined)) : decide(identity);
}

/**
 * Page actions that take a credential for an account (sign-up, password reset; login has its own):
 * charges the account's sign-in limit, shared with log-in, and returns the 429 action data
 * (`{ problem }`, with Retry-After) when it is spent, else null. The address is limited by the wrapper.
 */
export function accountLimitData(account: string) {
  if (!account) return null;
  const decision = state.limiter.check(`account:${account}`, ["login"]);
  if (decision.ok) return null;
  return data(
    { problem: rateLimitedProblem(decision) },
    { status: 429, headers: { "Retry-After": String(decision.retryAfterSeconds) } },
  );
}
