/**
 * /admin (admins only): users (invite link, role, approver, deactivate, reset link), sessions, tokens,
 * open change requests of protected labels, and the newest audit events (all of them: /admin/audit).
 */
import {
  data,
  type ActionFunctionArgs,
  type LinksFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import libraryStyles from "~/styles/library.css";
import { SessionTable } from "~/components/auth/SessionTable";
import { TokenTable } from "~/components/auth/TokenTable";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { AuditTable } from "~/components/admin/AuditTable";
import { ChangeRequestList } from "~/components/admin/ChangeRequestList";
import { InstanceFacts } from "~/components/admin/InstanceFacts";
import { RowAction } from "~/components/admin/RowAction";
import { OneTimeNotice } from "~/components/auth/OneTimeNotice";
import { listAudit, parseAuditQuery } from "~/models/audit.server";
import { listChangeRequests } from "~/models/label-change-requests.server";
import {
  createLink,
  listSessions,
  listUsers,
  revokeSessions,
  setActive,
  setApprover,
  setRole,
} from "~/models/accounts.server";
import { listApiTokens, revokeApiToken } from "~/models/api-tokens.server";
import { instanceFacts } from "~/models/instance-facts.server";
import { actorOf, requireUser } from "~/server/auth/guard.server";
import { ROLES } from "~/server/auth/roles";
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
  const [users, sessions, tokens, audit, facts, changeRequests] = await Promise.all([
    listUsers(db),
    listSessions(db),
    listApiTokens(db),
    listAudit(db, parseAuditQuery(new URLSearchParams()), 10),
    instanceFacts(db, getEnv()),
    listChangeRequests(db, { status: "open" }),
  ]);
  const currentSession = principal.kind === "session" ? principal.sessionId : null;
  return {
    me: principal.user?.id ?? null,
    currentSession,
    users,
    sessions,
    tokens,
    audit: audit.events,
    facts,
    changeRequests,
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const principal = await requireUser(request, "admin");
  assertAccountsOn();
  const form = await readForm(request);
  const db = getDb();
  const ctx = actorOf(principal, request);
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
        "approver-on",
        "approver-off",
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
      case "approver-on":
      case "approver-off":
        await setApprover(db, userId, form.get("intent") === "approver-on", ctx);
        return { done: "Approver setting changed.", link: null };
      case "revoke-token":
        await revokeApiToken(db, String(form.get("id") ?? ""), null, ctx);
        return { done: "Token revoked.", link: null };
    }
  });
}

export default function Admin() {
  const { me, currentSession, users, sessions, tokens, audit, facts, changeRequests } = useLoaderData<typeof loader>();
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
      {done ? <OneTimeNotice done={done.done} secret={done.link} /> : null}
      {problem ? (
        <p className="alert alert-error" role="alert">
          {problem.error}
        </p>
      ) : null}
      <InstanceFacts facts={facts} />
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
                  Approver{" "}
                  <span className="muted" title="May approve change requests of protected labels (admins always may)">
                    (labels)
                  </span>
                </th>
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
                    {u.role === "admin" ? (
                      <span className="muted">admin</span>
                    ) : u.role === "viewer" ? (
                      <span className="muted">—</span>
                    ) : (
                      <RowAction
                        intent={u.approver ? "approver-off" : "approver-on"}
                        fields={{ userId: u.id }}
                        label={u.approver ? "Yes · revoke" : "No · make approver"}
                      />
                    )}
                  </td>
                  <td>
                    <RowAction intent="reset" fields={{ userId: u.id }} label="Reset link" />
                    {u.id === me ? null : u.active ? (
                      <RowAction intent="deactivate" fields={{ userId: u.id }} label="Deactivate" danger />
                    ) : (
                      <RowAction intent="activate" fields={{ userId: u.id }} label="Activate" />
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
        <SessionTable
          sessions={sessions}
          current={currentSession}
          showOwner
          revokeButton={(id) => <RowAction intent="revoke-session" fields={{ id }} label="Revoke" danger />}
        />
      </section>
      <section className="panel card" aria-labelledby="tokens-title">
        <h2 id="tokens-title">API tokens</h2>
        <TokenTable
          tokens={tokens}
          showOwner
          revokeButton={(id) => <RowAction intent="revoke-token" fields={{ id }} label="Revoke" danger />}
        />
      </section>
      <section className="panel card" aria-labelledby="requests-title">
        <h2 id="requests-title">Open change requests</h2>
        <ChangeRequestList requests={changeRequests} empty="No label change waits for a decision." />
      </section>
      <section className="panel card" aria-labelledby="audit-title">
        <h2 id="audit-title">Audit log</h2>
        <p className="muted">
          The newest events. <Link to="/admin/audit">The whole log, with filters →</Link>
        </p>
        <AuditTable events={audit} />
      </section>
    </div>
  );
}
