/**
 * The admin panel's facts about the instance: what it holds, how much it serves (renders per day),
 * its database, its last backup and the app's version (issue 12).
 */
import type { instanceFacts } from "~/models/instance-facts.server";
import { when } from "~/components/auth/TokenTable";

type Facts = Awaited<ReturnType<typeof instanceFacts>>;

/** Bytes as "12.3 MB". */
function formatBytes(bytes: number): string {
  const units = ["B", "KB", "MB", "GB", "TB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}

const ageText = (hours: number) =>
  hours < 1 ? "less than an hour ago" : hours < 48 ? `${hours} h ago` : `${Math.floor(hours / 24)} days ago`;

/** A backup older than a day and a bit (the default schedule is daily) is worth a look. */
const STALE_BACKUP_HOURS = 26;

export function InstanceFacts({ facts }: { facts: Facts }) {
  const today = facts.renders[0];
  const total = facts.renders.reduce((n, r) => n + r.api + r.mcp, 0);
  const most = Math.max(1, ...facts.renders.map((r) => r.api + r.mcp));
  return (
    <section className="panel card" aria-labelledby="facts-title">
      <h2 id="facts-title">Instance</h2>
      <dl className="facts">
        <div>
          <dt>Version</dt>
          <dd>{facts.appVersion}</dd>
        </div>
        <div>
          <dt>Prompts</dt>
          <dd>
            {facts.prompts}
            {facts.trashed ? <span className="muted"> (+{facts.trashed} in the trash)</span> : null}
          </dd>
        </div>
        <div>
          <dt>Versions</dt>
          <dd>{facts.versions}</dd>
        </div>
        <div>
          <dt>Snippets</dt>
          <dd>{facts.snippets}</dd>
        </div>
        <div>
          <dt>Users</dt>
          <dd>{facts.users}</dd>
        </div>
        <div>
          <dt>Renders today</dt>
          <dd>
            {today ? today.api + today.mcp : 0}{" "}
            <span className="muted">
              (API {today?.api ?? 0}, MCP {today?.mcp ?? 0}; {total} in {facts.renders.length} days)
            </span>
          </dd>
        </div>
        <div>
          <dt>Database</dt>
          <dd>
            {facts.database.kind === "sqlite" ? "SQLite" : "PostgreSQL"}
            {facts.database.bytes === null ? "" : `, ${formatBytes(facts.database.bytes)}`}
          </dd>
        </div>
        <div>
          <dt>Last backup</dt>
          <dd>
            {facts.lastBackup ? (
              <>
                {when(facts.lastBackup.finishedAt)} UTC,{" "}
                {facts.lastBackup.ageHours > STALE_BACKUP_HOURS ? (
                  <strong>{ageText(facts.lastBackup.ageHours)} — older than a day</strong>
                ) : (
                  ageText(facts.lastBackup.ageHours)
                )}
                {facts.lastBackup.bytes === null ? "" : ` · ${formatBytes(facts.lastBackup.bytes)}`}
              </>
            ) : (
              <strong>never</strong>
            )}
            {facts.lastRunFailed ? (
              <strong> · the latest run failed ({when(facts.lastRunFailed.finishedAt)})</strong>
            ) : null}
          </dd>
        </div>
      </dl>
      <details>
        <summary>Renders per day (UTC)</summary>
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Day</th>
                <th scope="col">API</th>
                <th scope="col">MCP</th>
                <th scope="col">
                  <span className="sr-only">Against the busiest day</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {facts.renders.map((r) => (
                <tr key={r.day}>
                  <td>{r.day}</td>
                  <td>{r.api}</td>
                  <td>{r.mcp}</td>
                  <td>
                    <meter min={0} max={most} value={r.api + r.mcp} aria-label={`${r.day}: ${r.api + r.mcp} renders`} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </section>
  );
}
