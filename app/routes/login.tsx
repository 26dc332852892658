/** Log in (ENABLE_AUTH=true). Unknown e-mail and wrong password get the same answer after the same work. */
import {
  data,
  redirect,
  type ActionFunctionArgs,
  type HeadersFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { Field } from "~/components/auth/Field";
import { countUsers, LOGIN_FAILED, loginEmail, recordLogin, verifyLogin } from "~/models/accounts.server";
import { currentPrincipal, publicRoute, safeReturnPath } from "~/server/auth/guard.server";
import { createSession } from "~/server/auth/session.server";
import { requestClientAddress } from "~/server/http/client-address.server";
import { getDb } from "~/server/db.server";
import { getEnv, oidcEnabled } from "~/server/env.server";
import { readForm } from "~/server/http/problem.server";
import { checkLimit, rateLimitedProblem } from "~/server/rate-limit/rate-limit.server";

/** The action's Retry-After (a 429 for an account tried too often) reaches the document response. */
export const headers: HeadersFunction = ({ actionHeaders }) => actionHeaders;

export const meta: MetaFunction = () => [{ title: "Log in · Prompt Builder" }];

export async function loader({ request }: LoaderFunctionArgs) {
  publicRoute();
  const env = getEnv();
  const redirectTo = safeReturnPath(new URL(request.url).searchParams.get("redirectTo"));
  if (!env.ENABLE_AUTH) throw redirect(redirectTo);
  if ((await countUsers(getDb())) === 0) throw redirect("/signup");
  if (await currentPrincipal(request)) throw redirect(redirectTo);
  return { redirectTo, openSignup: env.SIGNUP === "open", sso: oidcEnabled(env) ? env.OIDC_DISPLAY_NAME : null };
}

export async function action({ request }: ActionFunctionArgs) {
  publicRoute();
  if (!getEnv().ENABLE_AUTH) throw redirect("/");
  const form = await readForm(request);
  // Per account too (the request wrapper limits per address): spreading guesses over many
  // addresses does not buy more tries at one account.
  const account = loginEmail(form.get("email"));
  const decision = account ? checkLimit(`account:${account}`, ["login"]) : ({ ok: true } as const);
  if (!decision.ok) {
    return data(
      { error: rateLimitedProblem(decision).error, email: account },
      { status: 429, headers: { "Retry-After": String(decision.retryAfterSeconds) } },
    );
  }
  const user = await verifyLogin(getDb(), form.get("email"), form.get("password"));
  if (!user) {
    return data({ error: LOGIN_FAILED, email: String(form.get("email") ?? "").slice(0, 200) }, { status: 401 });
  }
  const cookie = await createSession(user.id, request);
  await recordLogin(getDb(), user, requestClientAddress(request));
  return redirect(safeReturnPath(form.get("redirectTo")), { headers: { "Set-Cookie": cookie } });
}

export default function Login() {
  const { redirectTo, openSignup, sso } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <section className="auth-page panel" aria-labelledby="login-title">
      <h1 id="login-title">Log in</h1>
      {result?.error ? (
        <p className="alert alert-error" role="alert">
          {result.error}
        </p>
      ) : null}
      {sso ? (
        <>
          <p>
            <a
              className="btn btn-primary"
              href={`/auth/oidc${redirectTo === "/" ? "" : `?redirectTo=${encodeURIComponent(redirectTo)}`}`}
            >
              Sign in with {sso}
            </a>
          </p>
          <p className="muted">Or log in with a password:</p>
        </>
      ) : null}
      <Form method="post" className="form-grid">
        <input type="hidden" name="redirectTo" value={redirectTo} />
        <Field name="email" label="E-mail" type="email" autoComplete="username" required defaultValue={result?.email} />
        <Field name="password" label="Password" type="password" autoComplete="current-password" required />
        <button type="submit" className="btn btn-primary">
          Log in
        </button>
      </Form>
      <p className="muted">
        {openSignup ? (
          <>
            No account? <Link to="/signup">Sign up</Link>.{" "}
          </>
        ) : null}
        Forgot your password? Ask an admin for a reset link.
      </p>
    </section>
  );
}
