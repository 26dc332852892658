/** GET /auth/oidc: starts a single sign-on at the OpenID provider (404 when it is not configured). */
import { data, redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { currentPrincipal, publicRoute, safeReturnPath } from "~/server/auth/guard.server";
import { beginSignIn } from "~/server/auth/oidc.server";
import { oidcEnabled } from "~/server/env.server";
import { logger } from "~/server/logger.server";

export async function loader({ request }: LoaderFunctionArgs) {
  publicRoute();
  if (!oidcEnabled()) throw data("Single sign-on is not configured on this instance.", { status: 404 });
  const returnTo = safeReturnPath(new URL(request.url).searchParams.get("redirectTo"));
  if (await currentPrincipal(request)) throw redirect(returnTo);
  try {
    const { url, cookie } = await beginSignIn(request, returnTo);
    return redirect(url, { headers: { "Set-Cookie": cookie, "Cache-Control": "no-store" } });
  } catch (error) {
    logger.warn("single sign-on: the provider's discovery failed", { err: error });
    throw data("The sign-in provider cannot be reached right now; try again shortly or log in with a password.", {
      status: 502,
    });
  }
}
