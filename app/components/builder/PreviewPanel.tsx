import { useRef, type KeyboardEvent } from "react";
import { groupIssues, issueLocation, type PromptIssue } from "~/prompt/issues";
import { TARGETS, TARGET_INFO, type Target } from "~/prompt/targets";
import { counted } from "../plural";

type Props = {
  target: Target;
  onTarget: (t: Target) => void;
  output: string | null;
  /** Warnings about the chosen target itself, shown above its output. */
  targetWarnings?: readonly string[];
  pending: boolean;
  issues: readonly PromptIssue[];
  sections: ReadonlyArray<{ title: string; kind: string }>;
  onGoTo: (issue: PromptIssue) => void;
  onCopy: () => void;
  /** Absent when the instance does not allow exports (ENABLE_EXPORT=false): no Download button. */
  onDownload?: () => void;
  copyLabel: string;
};

export function PreviewPanel({
  target,
  onTarget,
  output,
  targetWarnings = [],
  pending,
  issues,
  sections,
  onGoTo,
  onCopy,
  onDownload,
  copyLabel,
}: Props) {
  const tabs = useRef<Array<HTMLButtonElement | null>>([]);
  // One entry per problem, with a link to each place it occurs.
  const errors = groupIssues(issues.filter((i) => i.severity === "error"));
  const warnings = issues.filter((i) => i.severity === "warning");
  const onKey = (e: KeyboardEvent, i: number) => {
    const dir = e.key === "ArrowRight" ? 1 : e.key === "ArrowLeft" ? -1 : 0;
    if (!dir && e.key !== "Home" && e.key !== "End") return;
    e.preventDefault();
    const next =
      e.key === "Home" ? 0 : e.key === "End" ? TARGETS.length - 1 : (i + dir + TARGETS.length) % TARGETS.length;
    onTarget(TARGETS[next]!);
    tabs.current[next]?.focus();
  };
  return (
    <section className="panel preview-panel" aria-labelledby="preview-title">
      <div className="panel-head">
        <h2 id="preview-title">{TARGET_INFO[target].label}</h2>
        <div className="preview-actions">
          <button
            type="button"
            className="btn btn-sm"
            onClick={onCopy}
            disabled={output === null}
            title="Copy (Ctrl/⌘+Shift+C)"
          >
            {copyLabel}
          </button>
          {onDownload && (
            <button type="button" className="btn btn-sm" onClick={onDownload} disabled={output === null}>
              Download
            </button>
          )}
        </div>
      </div>
      <div className="tabs" role="tablist" aria-label="Output format">
        {TARGETS.map((t, i) => (
          <button
            key={t}
            ref={(el) => {
              tabs.current[i] = el;
            }}
            type="button"
            role="tab"
            id={`tab-${t}`}
            aria-selected={t === target}
            aria-controls="preview-output"
            tabIndex={t === target ? 0 : -1}
            className="tab"
            title={TARGET_INFO[t].label}
            onClick={() => onTarget(t)}
            onKeyDown={(e) => onKey(e, i)}
          >
            {TARGET_INFO[t].short}
          </button>
        ))}
      </div>
      {errors.length ? (
        <div className="callout callout-error" role="alert" aria-live="assertive">
          <p className="callout-title">
            {counted(errors.length, "problem stops", "problems stop")} this prompt from rendering
          </p>
          <ul className="issue-list">
            {errors.slice(0, 12).map(({ issue, places }, n) => (
              <li key={n}>
                {places
                  .filter((i) => i.sectionIndex !== undefined || i.path[0] === "values" || i.path[0] === "variables")
                  .map((i, k) => (
                    <span key={k}>
                      {k ? ", " : null}
                      <button type="button" className="link-btn" onClick={() => onGoTo(i)}>
                        {issueLocation(i, sections) ||
                          (i.path[0] === "values" ? `Value of ${String(i.path[1])}` : "Variables")}
                      </button>
                    </span>
                  ))}{" "}
                {issue.message}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {output !== null && targetWarnings.length ? (
        <div className="callout callout-warning target-warnings" role="note" data-testid="target-warnings">
          {targetWarnings.map((w) => (
            <p key={w}>{w}</p>
          ))}
        </div>
      ) : null}
      <div
        id="preview-output"
        role="tabpanel"
        aria-labelledby={`tab-${target}`}
        className={`preview-output${pending ? " is-pending" : ""}`}
        tabIndex={0}
      >
        {output === null ? (
          <p className="muted preview-placeholder">
            {pending
              ? "Rendering…"
              : "Nothing is shown while there are errors: a prompt with a gap in it is never produced."}
          </p>
        ) : output === "" ? (
          <p className="muted preview-placeholder">Empty — add a section with some text.</p>
        ) : (
          <pre data-testid="preview-text">{output}</pre>
        )}
      </div>
      {warnings.length ? (
        <details className="warnings">
          <summary>{counted(warnings.length, "warning", "warnings")}</summary>
          <ul className="issue-list">
            {warnings.map((i, n) => (
              <li key={n}>
                {issueLocation(i, sections) ? <strong>{issueLocation(i, sections)}: </strong> : null}
                {i.message}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </section>
  );
}
