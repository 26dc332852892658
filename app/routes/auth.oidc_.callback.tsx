/**
 * GET /auth/oidc/callback: the OpenID provider sends the browser back here. A matching state, PKCE
 * and nonce and an allowed identity start a session; anything else is refused with a clear 4xx page
 * and writes nothing. The flow cookie is cleared either way.
 */
import { data, redirect, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { signInWithOidc } from "~/models/oidc-accounts.server";
import { ForbiddenError } from "~/prompt/errors";
import { publicRoute } from "~/server/auth/guard.server";
import { clearedFlowCookie, finishSignIn, SignInError } from "~/server/auth/oidc.server";
import { createSession } from "~/server/auth/session.server";
import { requestClientAddress } from "~/server/http/client-address.server";
import { getDb } from "~/server/db.server";
import { getEnv, oidcEnabled } from "~/server/env.server";
import { logger } from "~/server/logger.server";

export const headers: HeadersFunction = ({ loaderHeaders }) => loaderHeaders;
export const meta: MetaFunction = () => [{ title: "Single sign-on · Prompt Builder" }];

function refused(message: string, status: number) {
  return data(
    { error: message, provider: getEnv().OIDC_DISPLAY_NAME },
    { status, headers: { "Set-Cookie": clearedFlowCookie(), "Cache-Control": "no-store" } },
  );
}

export async function loader({ request }: LoaderFunctionArgs) {
  publicRoute();
  if (!oidcEnabled()) throw data("Single sign-on is not configured on this instance.", { status: 404 });
  const env = getEnv();
  try {
    const { claims, returnTo } = await finishSignIn(request);
    const ip = requestClientAddress(request);
    const user = await signInWithOidc(getDb(), claims, {
      allowedDomains: env.OIDC_ALLOWED_DOMAINS ?? [],
      defaultRole: env.OIDC_DEFAULT_ROLE,
      ip,
    });
    const session = await createSession(user.id, request);
    await getDb().auditEntry.create({
      data: { actorId: user.id, action: "session.login-sso", target: user.email, ip },
    });
    const headers = new Headers({ "Cache-Control": "no-store" });
    headers.append("Set-Cookie", clearedFlowCookie());
    headers.append("Set-Cookie", session);
    return redirect(returnTo, { headers });
  } catch (error) {
    if (error instanceof SignInError) {
      logger.warn("single sign-on refused", { reason: error.message });
      return refused(error.message, error.status);
    }
    if (error instanceof ForbiddenError) return refused(error.message, 403);
    throw error;
  }
}

export default function OidcCallback() {
  const { error, provider } = useLoaderData<typeof loader>();
  return (
    <section className="auth-page panel" aria-labelledby="sso-title">
      <h1 id="sso-title">Sign-in with {provider} failed</h1>
      <p className="alert alert-error" role="alert">
        {error}
      </p>
      <p>
        <Link to="/login" reloadDocument>
          Back to the login page
        </Link>
      </p>
    </section>
  );
}
