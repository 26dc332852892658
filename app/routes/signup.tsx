/**
 * Sign-up. With no account yet, the first one is created here and becomes admin (first run). Later,
 * by an admin's invitation link (/signup?invite=…), or by anyone when SIGNUP=open.
 */
import {
  redirect,
  type ActionFunctionArgs,
  type HeadersFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { Field } from "~/components/auth/Field";
import { issueFor } from "~/components/issue-for";
import { countUsers, createFirstAdmin, findLink, loginEmail, signUp } from "~/models/accounts.server";
import { publicRoute } from "~/server/auth/guard.server";
import { PASSWORD_MIN_LENGTH } from "~/server/auth/password.server";
import { createSession } from "~/server/auth/session.server";
import { requestClientAddress } from "~/server/http/client-address.server";
import { getDb } from "~/server/db.server";
import { getEnv } from "~/server/env.server";
import { pageAction, readForm } from "~/server/http/problem.server";
import { accountLimitData } from "~/server/rate-limit/rate-limit.server";

export const meta: MetaFunction = () => [{ title: "Sign up · Prompt Builder" }];
/** The action's Retry-After (an e-mail tried too often) reaches the document response. */
export const headers: HeadersFunction = ({ actionHeaders }) => actionHeaders;

export async function loader({ request }: LoaderFunctionArgs) {
  publicRoute();
  const env = getEnv();
  if (!env.ENABLE_AUTH) throw redirect("/");
  const db = getDb();
  const invite = new URL(request.url).searchParams.get("invite") ?? "";
  const firstRun = (await countUsers(db)) === 0;
  const link = invite ? await findLink(db, invite, "invite") : null;
  return {
    firstRun,
    invite: link ? invite : "",
    role: link?.role ?? null,
    inviteInvalid: !!invite && !link,
    open: env.SIGNUP === "open",
    minLength: PASSWORD_MIN_LENGTH,
  };
}

export async function action({ request }: ActionFunctionArgs) {
  publicRoute();
  const env = getEnv();
  if (!env.ENABLE_AUTH) throw redirect("/");
  const db = getDb();
  const form = await readForm(request);
  // Per e-mail too (the request wrapper limits per address): probing which addresses have accounts,
  // or racing for one, is slow from many addresses as from one.
  const limited = accountLimitData(loginEmail(form.get("email")));
  if (limited) return limited;
  return pageAction(async () => {
    const input = { email: form.get("email"), name: form.get("name"), password: form.get("password") };
    const address = requestClientAddress(request);
    const invite = String(form.get("invite") ?? "");
    const user =
      (await countUsers(db)) === 0
        ? await createFirstAdmin(db, input, { address })
        : await signUp(db, input, { invite: invite || null, open: env.SIGNUP === "open", address });
    return redirect("/", { headers: { "Set-Cookie": await createSession(user.id, request) } });
  });
}

export default function SignUp() {
  const { firstRun, invite, role, inviteInvalid, open, minLength } = useLoaderData<typeof loader>();
  const problem = useActionData<typeof action>()?.problem;
  const err = (f: string) => issueFor(problem, f);
  const allowed = firstRun || !!invite || open;
  return (
    <section className="auth-page panel" aria-labelledby="signup-title">
      <h1 id="signup-title">{firstRun ? "Create the admin account" : "Sign up"}</h1>
      {firstRun ? (
        <p className="muted">
          This instance has no accounts yet. The first one is its admin: it invites everyone else.
        </p>
      ) : role ? (
        <p className="muted">
          You were invited as <strong>{role}</strong>.
        </p>
      ) : null}
      {inviteInvalid ? (
        <p className="alert alert-error" role="alert">
          This invitation is not valid: it was used already, has expired, or never existed. Ask an admin for a new one.
        </p>
      ) : null}
      {problem && !problem.issues.some((i) => ["email", "name", "password"].includes(String(i.path[0]))) ? (
        <p className="alert alert-error" role="alert">
          {problem.error}
        </p>
      ) : null}
      {allowed ? (
        <Form method="post" className="form-grid">
          <input type="hidden" name="invite" value={invite} />
          <Field name="name" label="Name" autoComplete="name" required error={err("name")} />
          <Field name="email" label="E-mail" type="email" autoComplete="username" required error={err("email")} />
          <Field
            name="password"
            label="Password"
            type="password"
            autoComplete="new-password"
            required
            minLength={minLength}
            hint={`At least ${minLength} characters; not a common password.`}
            error={err("password")}
          />
          <button type="submit" className="btn btn-primary">
            {firstRun ? "Create admin account" : "Sign up"}
          </button>
        </Form>
      ) : (
        <p>Sign-up is by invitation: ask an admin for a link.</p>
      )}
      <p className="muted">
        Have an account? <Link to="/login">Log in</Link>.
      </p>
    </section>
  );
}
