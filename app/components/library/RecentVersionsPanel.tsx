import { Link } from "@remix-run/react";
import { VersionTable, type VersionRow } from "./VersionTable";

/** The prompt page's newest versions with the labels on them, and a link to the full history. */
export function RecentVersionsPanel({
  slug,
  versions,
}: {
  slug: string;
  versions: ReadonlyArray<VersionRow & { labels: string[] }>;
}) {
  return (
    <section className="panel card" aria-labelledby="versions-title">
      <h2 id="versions-title">Recent versions</h2>
      <VersionTable
        versions={versions}
        marks={(v) =>
          v.labels.map((l) => (
            <span key={l} className="badge">
              {l}
            </span>
          ))
        }
      />
      <p>
        <Link to={`/prompts/${slug}/history`}>All versions, compare and restore →</Link>
      </p>
    </section>
  );
}
