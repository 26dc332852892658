/**
 * /admin/audit (admins only): the audit log, newest first, filtered by actor, action (or a group of
 * actions), target and a date range, paged by cursor. Read-only: no route edits or deletes an event.
 */
import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { AuditTable } from "~/components/admin/AuditTable";
import { ProblemField } from "~/components/ProblemField";
import { issueFor } from "~/components/issue-for";
import { AUDIT_ACTIONS } from "~/library/audit-actions";
import { listAudit, parseAuditQuery } from "~/models/audit.server";
import { requireUser } from "~/server/auth/guard.server";
import { getDb } from "~/server/db.server";
import { problemFor } from "~/server/http/problem.server";
import libraryStyles from "~/styles/library.css";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: libraryStyles }];
export const meta: MetaFunction = () => [{ title: "Audit log · Admin · Prompt Builder" }];

const GROUPS = [...new Set(AUDIT_ACTIONS.map((a) => a.split(".")[0] ?? a))];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request, "admin");
  const params = new URL(request.url).searchParams;
  const form = {
    actor: (params.get("actor") ?? "").slice(0, 200),
    action: (params.get("action") ?? "").slice(0, 60),
    target: (params.get("target") ?? "").slice(0, 200),
    from: (params.get("from") ?? "").slice(0, 10),
    to: (params.get("to") ?? "").slice(0, 10),
  };
  try {
    const query = parseAuditQuery(params);
    const page = await listAudit(getDb(), query);
    const next = new URLSearchParams(Object.entries(form).filter(([, v]) => v !== ""));
    if (page.nextCursor) next.set("cursor", page.nextCursor);
    return {
      form,
      events: page.events,
      older: page.nextCursor ? `/admin/audit?${next.toString()}` : null,
      paged: query.cursor !== "",
      problem: null,
    };
  } catch (error) {
    const problem = problemFor(error);
    if (!problem || problem.status >= 500) throw error;
    return { form, events: [], older: null, paged: false, problem };
  }
}

export default function AuditLog() {
  const { form, events, older, paged, problem } = useLoaderData<typeof loader>();
  const err = (f: string) => issueFor(problem, f);
  const field = (name: "actor" | "target", label: string, hint: string) => (
    <ProblemField id={`audit-${name}`} label={label} error={err(name)}>
      {(aria) => (
        <input
          id={`audit-${name}`}
          name={name}
          type="search"
          defaultValue={form[name]}
          placeholder={hint}
          maxLength={200}
          {...aria}
        />
      )}
    </ProblemField>
  );
  const date = (name: "from" | "to", label: string) => (
    <ProblemField id={`audit-${name}`} label={label} error={err(name)}>
      {(aria) => <input id={`audit-${name}`} name={name} type="date" defaultValue={form[name]} {...aria} />}
    </ProblemField>
  );
  return (
    <div>
      <p className="crumbs">
        <Link to="/admin">Admin</Link> / Audit log
      </p>
      <div className="page-header">
        <h1>Audit log</h1>
      </div>
      <p className="muted">
        Every write — prompts, versions, labels, snippets, trash, accounts, sessions, tokens, change requests — with who
        did it, from which address and when. Nobody can edit or delete an entry from the app.
      </p>
      <Form method="get" className="panel card audit-filters" aria-label="Filter the audit log">
        {field("actor", "Actor", "e-mail or id")}
        <div className="field">
          <label htmlFor="audit-action">Action</label>
          <select
            id="audit-action"
            name="action"
            defaultValue={form.action}
            aria-invalid={err("action") ? true : undefined}
          >
            <option value="">Any</option>
            {GROUPS.map((g) => (
              <optgroup key={g} label={g}>
                <option value={g}>every {g}.*</option>
                {AUDIT_ACTIONS.filter((a) => a.startsWith(`${g}.`)).map((a) => (
                  <option key={a} value={a}>
                    {a}
                  </option>
                ))}
              </optgroup>
            ))}
          </select>
          {err("action") ? <p className="field-error">{err("action")}</p> : null}
        </div>
        {field("target", "Target", "name or id")}
        {date("from", "From")}
        {date("to", "To (inclusive)")}
        <button type="submit" className="btn btn-primary">
          Filter
        </button>
        <Link to="/admin/audit" className="btn btn-ghost">
          Clear
        </Link>
      </Form>
      {problem ? (
        <p className="alert alert-error" role="alert">
          {problem.error}
        </p>
      ) : null}
      <section className="panel card" aria-label="Events">
        <AuditTable events={events} filterLinks />
        <p className="pager">
          {paged ? <Link to="/admin/audit">← Newest</Link> : null} {older ? <Link to={older}>Older →</Link> : null}
        </p>
      </section>
    </div>
  );
}
