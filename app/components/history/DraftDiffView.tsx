/** A structural diff of two versions: sections side by side, variables, model settings. */
import type { DraftDiff, FieldChange, SectionDiff } from "~/prompt/diff";
import { KIND_LABEL } from "~/prompt/targets";
import { plural } from "../plural";
import { DiffText } from "./DiffText";

const STATUS_LABEL: Record<SectionDiff["status"], string> = {
  unchanged: "Unchanged",
  changed: "Changed",
  added: "Added",
  removed: "Removed",
};

function show(v: unknown): string {
  if (v === undefined || v === null) return "—";
  if (Array.isArray(v)) return v.length ? v.join(", ") : "—";
  return String(v);
}

function sectionName(s: SectionDiff) {
  const side = s.after ?? s.before!;
  return side.title || KIND_LABEL[side.kind];
}

export function DiffSummary({ diff }: { diff: DraftDiff }) {
  if (diff.identical) return <p className="diff-summary">The two versions are identical.</p>;
  const parts = [
    diff.summary.changed && `${diff.summary.changed} changed`,
    diff.summary.added && `${diff.summary.added} added`,
    diff.summary.removed && `${diff.summary.removed} removed`,
    diff.summary.moved && `${diff.summary.moved} moved`,
  ].filter(Boolean);
  return (
    <p className="diff-summary">
      Sections: {parts.length ? parts.join(", ") : "no changes"} · Variables: {diff.summary.variables || "no"}{" "}
      {plural(diff.summary.variables, "change", "changes")} · Model settings: {diff.summary.settings || "no"}{" "}
      {plural(diff.summary.settings, "change", "changes")}
    </p>
  );
}

export function SectionDiffs({
  diff,
  beforeLabel,
  afterLabel,
  showUnchanged = false,
}: {
  diff: DraftDiff;
  beforeLabel: string;
  afterLabel: string;
  showUnchanged?: boolean;
}) {
  const shown = diff.sections.filter((s) => showUnchanged || s.status !== "unchanged" || s.moved);
  if (!shown.length) return <p className="muted">No section changed.</p>;
  return (
    <ol className="section-diffs">
      {shown.map((s, i) => (
        <li key={i} className={`section-diff section-diff-${s.status}`}>
          <div className="section-diff-head">
            <strong>{sectionName(s)}</strong>
            <span className={`badge diff-badge-${s.status}`}>{STATUS_LABEL[s.status]}</span>
            {s.moved ? (
              <span className="badge diff-badge-moved">
                Moved {s.before && s.after ? `${s.before.index + 1} → ${s.after.index + 1}` : ""}
              </span>
            ) : null}
            {s.fields
              .filter((f) => f !== "text")
              .map((f) => (
                <span key={f} className="badge">
                  {f === "enabled"
                    ? s.after?.enabled
                      ? "enabled"
                      : "disabled"
                    : f === "title"
                      ? `title: ${s.before?.title} → ${s.after?.title}`
                      : `kind: ${s.before?.kind} → ${s.after?.kind}`}
                </span>
              ))}
          </div>
          <div className="diff-columns">
            <div className="diff-column">
              <div className="diff-column-label">{beforeLabel}</div>
              {s.before ? <DiffText ops={s.text} side="before" /> : <p className="muted">Not in this version.</p>}
            </div>
            <div className="diff-column">
              <div className="diff-column-label">{afterLabel}</div>
              {s.after ? <DiffText ops={s.text} side="after" /> : <p className="muted">Not in this version.</p>}
            </div>
          </div>
        </li>
      ))}
    </ol>
  );
}

function ChangeRows({ changes }: { changes: FieldChange[] }) {
  return (
    <>
      {changes.map((c) => (
        <tr key={c.field}>
          <th scope="row">{c.field}</th>
          <td>
            <del>{show(c.before)}</del>
          </td>
          <td>
            <ins>{show(c.after)}</ins>
          </td>
        </tr>
      ))}
    </>
  );
}

export function SchemaDiffs({
  diff,
  beforeLabel,
  afterLabel,
}: {
  diff: DraftDiff;
  beforeLabel: string;
  afterLabel: string;
}) {
  return (
    <div className="schema-diffs">
      <section aria-labelledby="vars-diff">
        <h3 id="vars-diff">Variables</h3>
        {diff.variables.length === 0 ? (
          <p className="muted">No changes.</p>
        ) : (
          <table className="diff-table">
            <thead>
              <tr>
                <th scope="col">Field</th>
                <th scope="col">{beforeLabel}</th>
                <th scope="col">{afterLabel}</th>
              </tr>
            </thead>
            {diff.variables.map((v) => (
              <tbody key={v.name}>
                <tr className="diff-table-group">
                  <th colSpan={3} scope="rowgroup">
                    <code>{v.name}</code> <span className={`badge diff-badge-${v.status}`}>{v.status}</span>
                  </th>
                </tr>
                <ChangeRows changes={v.changes.filter((c) => c.before !== undefined || c.after !== undefined)} />
              </tbody>
            ))}
          </table>
        )}
      </section>
      <section aria-labelledby="settings-diff">
        <h3 id="settings-diff">Model settings</h3>
        {diff.settings.length === 0 ? (
          <p className="muted">No changes.</p>
        ) : (
          <table className="diff-table">
            <thead>
              <tr>
                <th scope="col">Setting</th>
                <th scope="col">{beforeLabel}</th>
                <th scope="col">{afterLabel}</th>
              </tr>
            </thead>
            <tbody>
              <ChangeRows changes={diff.settings} />
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}
