import { Link } from "@remix-run/react";
import type { ReactNode } from "react";
import { AbsoluteDate } from "./AbsoluteDate";

export type VersionRow = { number: number; message: string; author: string | null; createdAt: string };
export type VersionColumn<V> = { header: ReactNode; cell: (v: V) => ReactNode };

/**
 * Versions of a prompt or snippet as a table: number, message, author, date. Pages add columns
 * before or after (compare radios, a restore button), marks after the number (labels) and a link.
 */
export function VersionTable<V extends VersionRow>({
  versions,
  before = [],
  after = [],
  marks,
  href,
}: {
  versions: readonly V[];
  before?: VersionColumn<V>[];
  after?: VersionColumn<V>[];
  /** Shown after the version number, e.g. the labels that point at it. */
  marks?: (v: V) => ReactNode;
  /** Makes the version number a link. */
  href?: (v: V) => string;
}) {
  return (
    // Focusable, so a keyboard can scroll the table where it is wider than a phone.
    <div className="table-scroll" tabIndex={0} role="region" aria-label="Versions">
      <table className="history-table">
        <thead>
          <tr>
            {before.map((c, i) => (
              <th key={`b${i}`} scope="col">
                {c.header}
              </th>
            ))}
            <th scope="col">Version</th>
            <th scope="col">Message</th>
            <th scope="col">Author</th>
            <th scope="col">When</th>
            {after.map((c, i) => (
              <th key={`a${i}`} scope="col">
                {c.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {versions.map((v) => (
            <tr key={v.number} data-testid={`version-${v.number}`}>
              {before.map((c, i) => (
                <td key={`b${i}`}>{c.cell(v)}</td>
              ))}
              <td className="num">
                {href ? <Link to={href(v)}>v{v.number}</Link> : `v${v.number}`} {marks?.(v)}
              </td>
              <td>{v.message || <span className="muted">—</span>}</td>
              <td>{v.author ?? "local"}</td>
              <td>
                <AbsoluteDate iso={v.createdAt} />
              </td>
              {after.map((c, i) => (
                <td key={`a${i}`}>{c.cell(v)}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
