/**
 * What a playground run streamed back: the text (JSON pretty-printed as such), tool calls, an
 * explained failure, and what it cost. Shared by the builder's Run tab, the runs page and the
 * compare columns. `idPrefix` keeps element ids apart when several runs share a page.
 */
import type { RunState } from "../builder/usePlaygroundRun";

export const fmtMs = (ms: number | null) =>
  ms === null ? "—" : ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(2)} s`;
export const fmtUsd = (usd: number | null) =>
  usd === null ? "not in the model table" : `$${usd.toFixed(usd < 0.01 ? 5 : 3)}`;

export function prettyJson(text: string): string | null {
  const t = text.trim();
  if (!t.startsWith("{") && !t.startsWith("[")) return null;
  try {
    return JSON.stringify(JSON.parse(t), null, 2);
  } catch {
    return null;
  }
}

export function RunOutput({
  state,
  estimatedInputTokens = null,
  idPrefix = "run",
  hideText = false,
}: {
  state: RunState;
  estimatedInputTokens?: number | null;
  idPrefix?: string;
  /** The text is shown elsewhere (a diff). */
  hideText?: boolean;
}) {
  const running = state.status === "running";
  const json = state.status === "done" ? prettyJson(state.text) : null;
  const usage = state.done?.usage;
  return (
    <>
      {hideText ? null : (
        <div className="run-output" aria-live="polite" aria-busy={running} id={`${idPrefix}-output`}>
          {state.status === "idle" ? (
            <p className="muted">The answer appears here as the model writes it.</p>
          ) : json ? (
            <>
              <p className="badge">JSON output</p>
              <pre>{json}</pre>
            </>
          ) : (
            <pre>{state.text || (running ? "…" : "")}</pre>
          )}
          {state.toolCalls.map((c) => (
            <div key={c.id} className="run-tool-call">
              <p className="badge">Tool call: {c.name}</p>
              <pre>{prettyJson(c.arguments) ?? c.arguments}</pre>
            </div>
          ))}
        </div>
      )}

      {state.failure ? (
        <div className="callout callout-error" role="alert" id={`${idPrefix}-error`}>
          <p>{state.failure.message}</p>
          {state.issues.length ? (
            <ul>
              {state.issues.map((i, n) => (
                <li key={n}>
                  {i.path.join(".")}: {i.message}
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}

      {state.done ? (
        <dl className="run-stats" id={`${idPrefix}-stats`}>
          <dt>Input tokens</dt>
          <dd>
            {usage ? usage.inputTokens.toLocaleString("en") : "—"}
            {estimatedInputTokens !== null ? (
              <span className="muted"> (estimate {estimatedInputTokens.toLocaleString("en")})</span>
            ) : null}
          </dd>
          <dt>Output tokens</dt>
          <dd>{usage ? usage.outputTokens.toLocaleString("en") : "—"}</dd>
          <dt>First token</dt>
          <dd>{fmtMs(state.done.firstTokenMs)}</dd>
          <dt>Total</dt>
          <dd>{fmtMs(state.done.totalMs)}</dd>
          <dt>Cost</dt>
          <dd>{fmtUsd(state.done.costUsd)}</dd>
          <dt>Finish reason</dt>
          <dd>{state.done.finishReason ?? "—"}</dd>
        </dl>
      ) : null}
    </>
  );
}
