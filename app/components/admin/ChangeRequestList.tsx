/** Change requests of protected labels as a list: on /admin (open ones) and on a prompt's page. */
import { Link } from "@remix-run/react";
import { when } from "~/components/auth/TokenTable";

export type ChangeRequestRow = {
  id: string;
  labelName: string;
  fromNumber: number | null;
  toNumber: number;
  status: string;
  comment: string;
  proposedByLabel: string;
  createdAt: string | Date;
  decidedByLabel: string;
  decidedAt: string | Date | null;
  prompt: { slug: string; name: string };
};

const STATUS_BADGE: Record<string, string> = {
  open: "badge badge-warning",
  approved: "badge badge-success",
  rejected: "badge badge-danger",
};

export function ChangeRequestList({
  requests,
  empty,
  showPrompt = true,
}: {
  requests: readonly ChangeRequestRow[];
  empty: string;
  showPrompt?: boolean;
}) {
  if (!requests.length) return <p className="muted">{empty}</p>;
  return (
    <ul className="change-requests">
      {requests.map((r) => (
        <li key={r.id}>
          <span className={STATUS_BADGE[r.status] ?? "badge"}>{r.status}</span>{" "}
          <Link to={`/prompts/${r.prompt.slug}/change-requests/${r.id}`}>
            {showPrompt ? `${r.prompt.name} · ` : ""}
            <code>{r.labelName}</code> v{r.fromNumber ?? "—"} → v{r.toNumber}
          </Link>{" "}
          <span className="muted">
            by {r.proposedByLabel || "someone"}, {when(r.createdAt)}
            {r.decidedAt && r.status !== "open"
              ? ` · ${r.status} ${r.decidedByLabel ? `by ${r.decidedByLabel} ` : ""}${when(r.decidedAt)}`
              : ""}
          </span>
          {r.comment ? <q className="change-request-comment">{r.comment}</q> : null}
        </li>
      ))}
    </ul>
  );
}
