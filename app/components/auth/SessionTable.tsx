/** Login sessions as a table: the user's own on /settings ("this session" marked), everyone's on /admin. */
import type { ReactNode } from "react";
import { deviceOf } from "./device";
import { when } from "./TokenTable";

export type SessionRow = {
  id: string;
  createdAt: string | Date;
  lastSeenAt: string | Date;
  ip: string;
  userAgent: string;
  user?: { email: string };
};

export function SessionTable({
  sessions,
  current,
  showOwner = false,
  revokeButton,
}: {
  sessions: readonly SessionRow[];
  /** The id of the session this page was asked for with. */
  current: string | null;
  showOwner?: boolean;
  revokeButton: (id: string, isCurrent: boolean) => ReactNode;
}) {
  if (sessions.length === 0) return <p className="muted">No open sessions.</p>;
  return (
    <div className="table-wrap">
      <table>
        <thead>
          <tr>
            {showOwner ? <th scope="col">User</th> : null}
            <th scope="col">Device</th>
            <th scope="col">Address</th>
            <th scope="col">Signed in</th>
            <th scope="col">Last seen</th>
            <th scope="col">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {sessions.map((s) => (
            <tr key={s.id}>
              {showOwner ? <td>{s.user?.email}</td> : null}
              <td title={s.userAgent}>
                {deviceOf(s.userAgent)}
                {s.id === current ? (
                  <>
                    {" "}
                    <span className="badge badge-success">this session</span>
                  </>
                ) : null}
              </td>
              <td>{s.ip || "—"}</td>
              <td>{when(s.createdAt)}</td>
              <td>{when(s.lastSeenAt)}</td>
              <td>{revokeButton(s.id, s.id === current)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
