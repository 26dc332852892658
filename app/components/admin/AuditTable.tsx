/** Audit events as a table (the admin panel and /admin/audit): when, who, from where, what, on what. */
import { Link } from "@remix-run/react";
import { when } from "~/components/auth/TokenTable";

export type AuditRow = {
  id: string;
  at: string | Date;
  actorId: string | null;
  tokenId: string | null;
  actorLabel: string;
  address: string;
  action: string;
  targetType: string;
  targetId: string;
  targetName: string;
  details: Record<string, unknown>;
};

function detailText(details: Record<string, unknown>): string {
  return Object.entries(details)
    .map(([k, v]) => `${k}: ${Array.isArray(v) ? v.join(", ") : v === null ? "—" : String(v)}`)
    .join(" · ");
}

function who(e: AuditRow): string {
  if (e.actorLabel) return e.actorLabel;
  return e.actorId ?? "— (no account)";
}

export function AuditTable({ events, filterLinks = false }: { events: readonly AuditRow[]; filterLinks?: boolean }) {
  if (!events.length) return <p className="muted">No events.</p>;
  const filter = (key: string, value: string) => `/admin/audit?${new URLSearchParams({ [key]: value }).toString()}`;
  return (
    // Focusable, so a keyboard can scroll the table where it is wider than the screen.
    <div className="table-wrap" tabIndex={0} role="region" aria-label="Audit events">
      <table className="audit-table">
        <thead>
          <tr>
            <th scope="col">When (UTC)</th>
            <th scope="col">Who</th>
            <th scope="col">From</th>
            <th scope="col">Action</th>
            <th scope="col">On</th>
            <th scope="col">Details</th>
          </tr>
        </thead>
        <tbody>
          {events.map((e) => (
            <tr key={e.id}>
              <td className="nowrap">{when(e.at)}</td>
              <td>
                {filterLinks && (e.actorId || e.actorLabel) ? (
                  <Link to={filter("actor", e.actorLabel || e.actorId || "")}>{who(e)}</Link>
                ) : (
                  who(e)
                )}
                {e.tokenId ? (
                  <span className="badge" title={`API token ${e.tokenId}`}>
                    {" "}
                    token
                  </span>
                ) : null}
              </td>
              <td>{e.address || "—"}</td>
              <td>
                {filterLinks ? (
                  <Link to={filter("action", e.action)}>
                    <code>{e.action}</code>
                  </Link>
                ) : (
                  <code>{e.action}</code>
                )}
              </td>
              <td>
                {e.targetType ? <span className="muted">{e.targetType} </span> : null}
                {filterLinks && e.targetId ? (
                  <Link to={filter("target", e.targetId)}>{e.targetName || e.targetId}</Link>
                ) : (
                  e.targetName || e.targetId
                )}
              </td>
              <td className="audit-details">{detailText(e.details)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
