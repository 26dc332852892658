/** /admin (admins only): users (invite link, role, deactivate, reset link), sessions, recent audit entries. */
import {
  data,
  type ActionFunctionArgs,
  type LinksFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import libraryStyles from "~/styles/library.css";
import { TokenTable, when } from "~/components/auth/TokenTable";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import {
  createLink,
  listSessions,
  listUsers,
  recentAudit,
  revokeSessions,
  setActive,
  setRole,
} from "~/models/accounts.server";
import { listApiTokens, revokeApiToken } from "~/models/api-tokens.server";
import { requireUser } from "~/server/auth/guard.server";
import { ROLES } from "~/server/auth/roles";
import { clientAddress } from "~/server/auth/session.server";
import { getDb } from "~/server/db.server";
import { getEnv } from "~/server/env.server";
import { pageAction, parseIntent, readForm } from "~/server/http/problem.server";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: libraryStyles }];
export const meta: MetaFunction = () => [{ title: "Admin · Prompt Builder" }];

function assertAccountsOn() {
  if (!getEnv().ENABLE_AUTH)
    throw data("Accounts are off: this instance runs in single-user mode (ENABLE_AUTH=false).", { status: 404 });
}

export async function loader({ request }: LoaderFunctionArgs) {
  const principal = await requireUser(request, "admin");
  assertAccountsOn();
  const db = getDb();
  const [users, sessions, tokens, audit] = await Promise.all([
    listUsers(db),
    listSessions(db),
    listApiTokens(db),
    recentAudit(db),
  ]);
  return { me: principal.user?.id ?? null, users, sessions, tokens, audit };
}

export async function action({ request }: ActionFunctionArgs) {
  const principal = await requireUser(request, "admin");
  assertAccountsOn();
  const form = await readForm(request);
  const db = getDb();
  const ctx = { actorId: principal.user?.id ?? null, ip: clientAddress(request) };
  const origin = new URL(request.url).origin;
  const userId = String(form.get("userId") ?? "");
  return pageAction(async () => {
    switch (
      parseIntent(form, [
        "invite",
        "reset",
        "role",
        "deactivate",
        "activate",
        "revoke-session",
        "revoke-token",
      ] as const)
    ) {
      case "invite": {
        const secret = await createLink(db, { kind: "invite", role: form.get("role") }, ctx);
        return { done: "Invitation link (valid 7 days, once):", link: `${origin}/signup?invite=${secret}` };
      }
      case "reset": {
        const secret = await createLink(db, { kind: "reset", userId }, ctx);
        return { done: "Password reset link (valid 7 days, once):", link: `${origin}/password-reset?token=${secret}` };
      }
      case "role":
        await setRole(db, userId, form.get("role"), ctx);
        return { done: "Role changed.", link: null };
      case "deactivate":
      case "activate":
        await setActive(db, userId, form.get("intent") === "activate", ctx);
        return { done: "Account updated.", link: null };
      case "revoke-session":
        await revokeSessions(db, { id: String(form.get("id") ?? "") }, ctx);
        return { done: "Session revoked.", link: null };
      case "revoke-token":
        await revokeApiToken(db, String(form.get("id") ?? ""), null, ctx);
        return { done: "Token revoked.", link: null };
    }
  });
}

function IntentForm({
  intent,
  fields,
  label,
  danger,
}: {
  intent: string;
  fields: Record<string, string>;
  label: string;
  danger?: boolean;
}) {
  return (
    <Form method="post" className="inline-form">
      <input type="hidden" name="intent" value={intent} />
      {Object.entries(fields).map(([k, v]) => (
        <input key={k} type="hidden" name={k} value={v} />
      ))}
      <button type="submit" className={danger ? "btn btn-ghost btn-danger-text" : "btn btn-ghost"}>
        {label}
      </button>
    </Form>
  );
}

export default function Admin() {
  const { me, users, sessions, tokens, audit } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const problem = result && "problem" in result ? result.problem : undefined;
  const done = result && "done" in result ? result : undefined;
  return (
    <div>
      <div className="page-header">
        <h1>Admin</h1>
        <Link to="/admin/providers" className="btn">
          Model providers
        </Link>
      </div>
      {done ? (
        <div className="alert" role="status">
          <p>{done.done}</p>
          {done.link ? (
            <p>
              <code className="token-once">{done.link}</code>
            </p>
          ) : null}
        </div>
      ) : null}
      {problem ? (
        <p className="alert alert-error" role="alert">
          {problem.error}
        </p>
      ) : null}
      <section className="panel card" aria-labelledby="users-title">
        <h2 id="users-title">Users</h2>
        <Form method="post" className="inline-form">
          <input type="hidden" name="intent" value="invite" />
          <label htmlFor="invite-role">Invite a new</label>
          <select id="invite-role" name="role" defaultValue="editor">
            {ROLES.map((r) => (
              <option key={r}>{r}</option>
            ))}
          </select>
          <button type="submit" className="btn btn-primary">
            Create invitation link
          </button>
        </Form>
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">E-mail</th>
                <th scope="col">Role</th>
                <th scope="col">Status</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {users.map((u) => (
                <tr key={u.id}>
                  <td>{u.name}</td>
                  <td>{u.email}</td>
                  <td>
                    <Form method="post" className="inline-form">
                      <input type="hidden" name="intent" value="role" />
                      <input type="hidden" name="userId" value={u.id} />
                      <select name="role" defaultValue={u.role} aria-label={`Role of ${u.email}`}>
                        {ROLES.map((r) => (
                          <option key={r}>{r}</option>
                        ))}
                      </select>
                      <button type="submit" className="btn btn-ghost">
                        Set
                      </button>
                    </Form>
                  </td>
                  <td>{u.active ? "active" : <span className="badge badge-warning">deactivated</span>}</td>
                  <td>
                    <IntentForm intent="reset" fields={{ userId: u.id }} label="Reset link" />
                    {u.id === me ? null : u.active ? (
                      <IntentForm intent="deactivate" fields={{ userId: u.id }} label="Deactivate" danger />
                    ) : (
                      <IntentForm intent="activate" fields={{ userId: u.id }} label="Activate" />
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
      <section className="panel card" aria-labelledby="sessions-title">
        <h2 id="sessions-title">Sessions</h2>
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">User</th>
                <th scope="col">Since</th>
                <th scope="col">Last seen</th>
                <th scope="col">From</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {sessions.map((s) => (
                <tr key={s.id}>
                  <td>{s.user.email}</td>
                  <td>{when(s.createdAt)}</td>
                  <td>{when(s.lastSeenAt)}</td>
                  <td title={s.userAgent}>{s.ip || "—"}</td>
                  <td>
                    <IntentForm intent="revoke-session" fields={{ id: s.id }} label="Revoke" danger />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
      <section className="panel card" aria-labelledby="tokens-title">
        <h2 id="tokens-title">API tokens</h2>
        <TokenTable
          tokens={tokens}
          showOwner
          revokeButton={(id) => <IntentForm intent="revoke-token" fields={{ id }} label="Revoke" danger />}
        />
      </section>
      <section className="panel card" aria-labelledby="audit-title">
        <h2 id="audit-title">Recent account changes</h2>
        <ul className="audit-list">
          {audit.map((a) => (
            <li key={a.id}>
              <code>{a.action}</code> {a.target} {a.detail ? <span className="muted">{a.detail}</span> : null}{" "}
              <span className="muted">
                {when(a.createdAt)} {a.ip}
              </span>
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}
