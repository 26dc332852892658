/** /settings: change password, log out everywhere, and API tokens (created, listed, revoked). */
import {
  data,
  redirect,
  type ActionFunctionArgs,
  type LinksFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import libraryStyles from "~/styles/library.css";
import { SessionTable } from "~/components/auth/SessionTable";
import { TokenTable } from "~/components/auth/TokenTable";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { OneTimeNotice } from "~/components/auth/OneTimeNotice";
import { IntentButton } from "~/components/library/IntentButton";
import { Field } from "~/components/auth/Field";
import { issueFor } from "~/components/issue-for";
import { changePassword, listSessions, revokeOwnSession } from "~/models/accounts.server";
import { createApiToken, listApiTokens, revokeApiToken } from "~/models/api-tokens.server";
import { actorOf, requireUser, type Principal } from "~/server/auth/guard.server";
import { PASSWORD_MIN_LENGTH } from "~/server/auth/password.server";
import { SCOPES } from "~/server/auth/roles";
import { clearedSessionCookie } from "~/server/auth/session.server";
import { getDb } from "~/server/db.server";
import { getEnv } from "~/server/env.server";
import { pageAction, parseIntent, readForm } from "~/server/http/problem.server";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: libraryStyles }];
export const meta: MetaFunction = () => [{ title: "Settings · Prompt Builder" }];

function accountOf(principal: Principal) {
  if (!getEnv().ENABLE_AUTH || !principal.user)
    throw data("Accounts are off: this instance runs in single-user mode (ENABLE_AUTH=false).", { status: 404 });
  return principal.user;
}

export async function loader({ request }: LoaderFunctionArgs) {
  const principal = await requireUser(request);
  const user = accountOf(principal);
  const db = getDb();
  const [tokens, sessions, account] = await Promise.all([
    listApiTokens(db, user.id),
    listSessions(db, user.id),
    db.user.findUnique({ where: { id: user.id }, select: { passwordHash: true } }),
  ]);
  return {
    user: { name: user.name, email: user.email, role: user.role },
    tokens: tokens.map((t) => ({ ...t, user: undefined })),
    sessions: sessions.map((s) => ({ ...s, user: undefined })),
    current: principal.kind === "session" ? principal.sessionId : null,
    // Accounts made by single sign-on have no password to change.
    hasPassword: Boolean(account?.passwordHash),
    minLength: PASSWORD_MIN_LENGTH,
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const principal = await requireUser(request);
  const user = accountOf(principal);
  const form = await readForm(request);
  const db = getDb();
  const ctx = actorOf(principal, request);
  return pageAction(async () => {
    switch (parseIntent(form, ["password", "token", "revoke", "revoke-session"] as const)) {
      case "password":
        await changePassword(db, user.id, { current: form.get("current"), next: form.get("next") }, ctx);
        return { done: "Password changed." as const, token: null };
      case "token": {
        const created = await createApiToken(
          db,
          user,
          { name: form.get("name"), scopes: form.getAll("scopes"), labels: String(form.get("labels") ?? "") },
          ctx,
        );
        return { done: "Token created. Copy it now: it is not shown again." as const, token: created.token };
      }
      case "revoke":
        await revokeApiToken(db, String(form.get("id") ?? ""), user.id, ctx);
        return { done: "Token revoked." as const, token: null };
      case "revoke-session": {
        const id = String(form.get("id") ?? "").slice(0, 100);
        await revokeOwnSession(db, id, user.id, ctx);
        // Ending the session this page runs in is logging out.
        if (principal.kind === "session" && principal.sessionId === id)
          throw redirect("/login", { headers: { "Set-Cookie": clearedSessionCookie() } });
        return { done: "Session ended: that device is logged out." as const, token: null };
      }
    }
  });
}

export default function Settings() {
  const { user, tokens, sessions, current, hasPassword, minLength } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const problem = result && "problem" in result ? result.problem : undefined;
  const done = result && "done" in result ? result : undefined;
  const err = (f: string) => issueFor(problem, f);
  return (
    <div>
      <div className="page-header">
        <h1>Settings</h1>
        <span className="badge">
          {user.email} · {user.role}
        </span>
      </div>
      {done ? <OneTimeNotice done={done.done} secret={done.token} /> : null}
      {problem &&
      !problem.issues.some((i) => ["current", "next", "name", "scopes", "labels"].includes(String(i.path[0]))) ? (
        <p className="alert alert-error" role="alert">
          {problem.error}
        </p>
      ) : null}
      <div className="prompt-page">
        <section className="panel card" aria-labelledby="password-title">
          <h2 id="password-title">Password</h2>
          {hasPassword ? (
            <Form method="post" className="form-grid">
              <input type="hidden" name="intent" value="password" />
              <Field
                name="current"
                label="Current password"
                type="password"
                autoComplete="current-password"
                required
                error={err("current")}
              />
              <Field
                name="next"
                label="New password"
                type="password"
                autoComplete="new-password"
                required
                minLength={minLength}
                hint={`At least ${minLength} characters; not a common password.`}
                error={err("next")}
              />
              <button type="submit" className="btn btn-primary">
                Change password
              </button>
            </Form>
          ) : (
            <p className="muted">This account signs in with single sign-on; it has no password here.</p>
          )}
        </section>
        <section className="panel card" aria-labelledby="sessions-title">
          <h2 id="sessions-title">Sessions</h2>
          <p className="muted">Where your account is logged in. Ending a session logs that device out at once.</p>
          <SessionTable
            sessions={sessions}
            current={current}
            revokeButton={(id, isCurrent) => (
              <Form method="post">
                <input type="hidden" name="intent" value="revoke-session" />
                <input type="hidden" name="id" value={id} />
                <button type="submit" className="btn btn-ghost btn-danger-text">
                  {isCurrent ? "Log out" : "End session"}
                </button>
              </Form>
            )}
          />
          <Form method="post" action="/logout">
            <input type="hidden" name="everywhere" value="yes" />
            <button type="submit" className="btn btn-danger">
              Log out everywhere
            </button>
          </Form>
        </section>
        <section className="panel card" aria-labelledby="tokens-title">
          <h2 id="tokens-title">API tokens</h2>
          <p className="muted">
            Programs send a token as <code>Authorization: Bearer …</code>. It can never do more than your role.
          </p>
          <Form method="post" className="form-grid">
            <input type="hidden" name="intent" value="token" />
            <Field name="name" label="Name" required error={err("name")} placeholder="CI render job" />
            <fieldset className="field">
              <legend className="field-label">Scopes</legend>
              {SCOPES.map((s) => (
                <label key={s}>
                  <input type="checkbox" name="scopes" value={s} defaultChecked={s === "read"} /> {s}
                </label>
              ))}
              <span className="field-error">{err("scopes")}</span>
            </fieldset>
            <Field
              name="labels"
              label="Only these labels (optional)"
              placeholder="production"
              error={err("labels")}
              hint="Comma-separated; empty means every label."
            />
            <button type="submit" className="btn btn-primary">
              Create token
            </button>
          </Form>
          {tokens.length ? (
            <TokenTable
              tokens={tokens}
              revokeButton={(id) => (
                <IntentButton intent="revoke" fields={{ id }} className="btn btn-ghost">
                  Revoke
                </IntentButton>
              )}
            />
          ) : null}
        </section>
      </div>
    </div>
  );
}
