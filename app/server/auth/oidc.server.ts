/**
 * Single sign-on with OpenID Connect (openid-client): authorization code flow with PKCE, state and
 * nonce. The flow's secrets (state, nonce, PKCE verifier, where to return) travel in a short-lived
 * cookie signed with SESSION_SECRET, scoped to /auth/oidc; the callback refuses a response whose
 * state or nonce does not match it, and the cookie is cleared either way. The provider's metadata
 * comes from discovery at OIDC_ISSUER (cached; retried after a failure). What an identity may do
 * (domains, linking, deactivated accounts) is decided in app/models/oidc-accounts.server.ts.
 */
import * as client from "openid-client";
import { getEnv, oidcEnabled } from "../env.server";
import { sign, unsign } from "./secrets.server";

export const OIDC_COOKIE = "pb_oidc";
const COOKIE_PATH = "/auth/oidc";
/** How long a sign-in at the provider may take. */
export const FLOW_LIFETIME_MS = 10 * 60_000;

let configuration: Promise<client.Configuration> | undefined;

function discover(): Promise<client.Configuration> {
  const env = getEnv();
  if (!oidcEnabled(env)) throw new Error("single sign-on is not configured");
  const issuer = new URL(env.OIDC_ISSUER!);
  return client.discovery(issuer, env.OIDC_CLIENT_ID!, env.OIDC_CLIENT_SECRET!, undefined, {
    // http is accepted for a loopback issuer only (env.server.ts refuses it elsewhere).
    execute: issuer.protocol === "http:" ? [client.allowInsecureRequests] : [],
    timeout: 10,
  });
}

/** The provider's configuration from discovery; a failed discovery is tried again next time. */
export function oidcConfiguration(): Promise<client.Configuration> {
  if (!configuration) {
    configuration = discover();
    configuration.catch(() => {
      configuration = undefined;
    });
  }
  return configuration;
}

/**
 * This site's origin as the browser sees it. Behind a TLS-terminating proxy (TRUST_PROXY > 0) the
 * scheme comes from X-Forwarded-Proto, so the redirect URI is the https one registered at the provider.
 */
export function publicOrigin(request: Request): string {
  const url = new URL(request.url);
  const proto = request.headers.get("x-forwarded-proto")?.split(",")[0]?.trim().toLowerCase();
  if (getEnv().TRUST_PROXY > 0 && (proto === "https" || proto === "http")) url.protocol = `${proto}:`;
  return url.origin;
}

export function redirectUri(request: Request): string {
  return `${publicOrigin(request)}${COOKIE_PATH}/callback`;
}

export type Flow = { state: string; nonce: string; verifier: string; returnTo: string; expires: number };

function flowCookie(value: string, maxAgeSeconds: number): string {
  const parts = [`${OIDC_COOKIE}=${value}`, `Path=${COOKIE_PATH}`, "HttpOnly", "SameSite=Lax"];
  parts.push(`Max-Age=${maxAgeSeconds}`);
  if (getEnv().NODE_ENV === "production") parts.push("Secure");
  return parts.join("; ");
}

/** The Set-Cookie value that removes the flow cookie. */
export function clearedFlowCookie(): string {
  return flowCookie("", 0);
}

/** Starts a sign-in: the provider's authorization URL and the Set-Cookie holding the flow's secrets. */
export async function beginSignIn(request: Request, returnTo: string): Promise<{ url: string; cookie: string }> {
  const config = await oidcConfiguration();
  const flow: Flow = {
    state: client.randomState(),
    nonce: client.randomNonce(),
    verifier: client.randomPKCECodeVerifier(),
    returnTo,
    expires: Date.now() + FLOW_LIFETIME_MS,
  };
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri(request),
    scope: "openid email profile",
    response_type: "code",
    code_challenge: await client.calculatePKCECodeChallenge(flow.verifier),
    code_challenge_method: "S256",
    state: flow.state,
    nonce: flow.nonce,
  });
  const value = encodeFlow(flow, getEnv().SESSION_SECRET);
  return { url: url.href, cookie: flowCookie(value, Math.floor(FLOW_LIFETIME_MS / 1000)) };
}

/** Encodes a flow the way beginSignIn does (for tests that tamper with one). */
export function encodeFlow(flow: Flow, secrets: readonly string[]): string {
  return sign(Buffer.from(JSON.stringify(flow)).toString("base64url"), secrets);
}

function readFlow(request: Request): Flow | null {
  let raw: string | null = null;
  for (const part of (request.headers.get("Cookie") ?? "").split(";")) {
    const [name, ...rest] = part.trim().split("=");
    if (name === OIDC_COOKIE) raw = rest.join("=");
  }
  if (!raw || raw.length > 4000) return null;
  const value = unsign(decodeURIComponent(raw), getEnv().SESSION_SECRET);
  if (!value) return null;
  try {
    const flow = JSON.parse(Buffer.from(value, "base64url").toString("utf8")) as Partial<Flow>;
    if (
      typeof flow.state !== "string" ||
      typeof flow.nonce !== "string" ||
      typeof flow.verifier !== "string" ||
      typeof flow.returnTo !== "string" ||
      typeof flow.expires !== "number"
    )
      return null;
    return flow.expires > Date.now() ? (flow as Flow) : null;
  } catch {
    return null;
  }
}

export class SignInError extends Error {
  constructor(
    message: string,
    readonly status: 400 | 403 | 502,
  ) {
    super(message);
  }
}

/** Transport trouble with the provider is a 502; a response that fails a check (state, nonce, code) is a 400. */
function refusal(error: unknown): SignInError {
  if (!(error instanceof Error)) return new SignInError("The provider could not complete the sign-in.", 502);
  const code = (error as { code?: unknown }).code;
  const transport =
    error instanceof TypeError ||
    code === "OAUTH_RESPONSE_IS_NOT_CONFORM" ||
    code === "OAUTH_RESPONSE_IS_NOT_JSON" ||
    error.name === "TimeoutError" ||
    error.name === "AbortError";
  const detail = [error.message, error.cause instanceof Error ? error.cause.message : ""]
    .filter(Boolean)
    .join(": ")
    .slice(0, 200);
  return transport
    ? new SignInError(`The provider could not complete the sign-in (${detail}).`, 502)
    : new SignInError(`The sign-in response does not belong to this sign-in (${detail}). Start again.`, 400);
}

export type OidcClaims = {
  issuer: string;
  subject: string;
  email: string | null;
  emailVerified: boolean;
  name: string | null;
};

/**
 * Finishes a sign-in at the callback: checks the flow cookie, state, PKCE and nonce (openid-client
 * does the protocol checks), and returns the identity's claims (from the userinfo endpoint when the
 * ID token does not carry the e-mail) and where to return.
 */
export async function finishSignIn(request: Request): Promise<{ claims: OidcClaims; returnTo: string }> {
  const flow = readFlow(request);
  if (!flow)
    throw new SignInError(
      "The sign-in was not started here or took longer than 10 minutes (its cookie is missing or expired). Start again.",
      400,
    );
  const url = new URL(request.url);
  const providerError = url.searchParams.get("error");
  if (providerError)
    throw new SignInError(
      `The provider did not sign you in: ${(url.searchParams.get("error_description") ?? providerError).slice(0, 200)}`,
      403,
    );
  const config = await oidcConfiguration();
  // The URL the provider sent the browser to, on the registered redirect URI (proxies rewrite the scheme).
  const current = new URL(redirectUri(request));
  current.search = url.search;
  let tokens: Awaited<ReturnType<typeof client.authorizationCodeGrant>>;
  try {
    tokens = await client.authorizationCodeGrant(config, current, {
      pkceCodeVerifier: flow.verifier,
      expectedState: flow.state,
      expectedNonce: flow.nonce,
      idTokenExpected: true,
    });
  } catch (error) {
    throw refusal(error);
  }
  const idClaims = tokens.claims();
  if (!idClaims) throw new SignInError("The provider sent no ID token.", 502);
  let source: Record<string, unknown> = idClaims;
  if (typeof idClaims.email !== "string" && tokens.access_token) {
    source = { ...(await client.fetchUserInfo(config, tokens.access_token, idClaims.sub)), ...idClaims };
  }
  const email = typeof source.email === "string" ? source.email.trim().toLowerCase().slice(0, 200) : null;
  const name =
    typeof source.name === "string"
      ? source.name
      : typeof source.preferred_username === "string"
        ? source.preferred_username
        : null;
  return {
    claims: {
      issuer: idClaims.iss,
      subject: idClaims.sub,
      email,
      // Some providers send "true" as a string.
      emailVerified: source.email_verified === true || source.email_verified === "true",
      name: name?.trim().slice(0, 100) || null,
    },
    returnTo: flow.returnTo,
  };
}
