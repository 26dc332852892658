/** API tokens as a table: the user's own on /settings, everyone's (with the owner) on /admin. */
import type { ReactNode } from "react";

export type TokenRow = {
  id: string;
  name: string;
  prefix: string;
  scopes: string;
  labels?: string;
  createdAt: string | Date;
  lastUsedAt: string | Date | null;
  revokedAt: string | Date | null;
  user?: { email: string };
};

/** A date as "YYYY-MM-DD HH:MM" (UTC), or "never". */
export const when = (d: string | Date | null) =>
  d ? new Date(d).toISOString().slice(0, 16).replace("T", " ") : "never";

export function TokenTable({
  tokens,
  showOwner = false,
  revokeButton,
}: {
  tokens: readonly TokenRow[];
  showOwner?: boolean;
  /** The form that revokes one token (each page posts its own intent). */
  revokeButton: (id: string) => ReactNode;
}) {
  return (
    <div className="table-wrap">
      <table>
        <thead>
          <tr>
            {showOwner ? <th scope="col">Owner</th> : null}
            <th scope="col">Name</th>
            <th scope="col">Scopes</th>
            <th scope="col">Created</th>
            <th scope="col">Last used</th>
            <th scope="col">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {tokens.map((t) => (
            <tr key={t.id}>
              {showOwner ? <td>{t.user?.email}</td> : null}
              <td>
                {t.name} <code>{t.prefix}…</code>
              </td>
              <td>
                {t.scopes}
                {t.labels ? ` (labels: ${t.labels})` : ""}
              </td>
              <td>{when(t.createdAt)}</td>
              <td>{when(t.lastUsedAt)}</td>
              <td>{t.revokedAt ? <span className="badge">revoked</span> : revokeButton(t.id)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
