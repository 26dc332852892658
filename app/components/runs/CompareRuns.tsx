/**
 * The compare-runs page's columns: 2–4, each a version and a provider + model, run in parallel with
 * the same values; each column streams, stops and fails on its own. Outputs are diffed against the
 * first column (the app's line-then-word diff, app/prompt/diff.ts).
 */
import { useCallback, useMemo, useState } from "react";
import { diffText, changeStats } from "~/prompt/diff";
import { usePlaygroundRun, useProviders, type RunState } from "../builder/usePlaygroundRun";
import { DiffText } from "../history/DiffText";
import { NoProviders, ProviderModelSelect, type Choice } from "./ProviderModelSelect";
import { ProblemField } from "~/components/ProblemField";
import { RunOutput } from "./RunOutput";
import { parseValues } from "./RunSavedVersion";

export const MIN_COLUMNS = 2;
export const MAX_COLUMNS = 4;

type Column = { version: number; choice: Choice };

export function CompareRuns({
  slug,
  versionNumbers,
  head,
}: {
  slug: string;
  versionNumbers: readonly number[];
  head: { number: number; model: string; values: Record<string, unknown> };
}) {
  const { providers, error } = useProviders(true);
  // One run hook per possible column (hooks cannot be created in a loop of changing length).
  const runs = [usePlaygroundRun(), usePlaygroundRun(), usePlaygroundRun(), usePlaygroundRun()];
  const previous = versionNumbers.find((n) => n < head.number) ?? head.number;
  const [columns, setColumns] = useState<Column[]>([
    { version: previous, choice: { provider: "", model: "" } },
    { version: head.number, choice: { provider: "", model: "" } },
  ]);
  const [valuesText, setValuesText] = useState(() => JSON.stringify(head.values, null, 2));
  const [valuesError, setValuesError] = useState<string | null>(null);

  const setColumn = useCallback(
    (i: number, patch: Partial<Column>) => setColumns((cs) => cs.map((c, n) => (n === i ? { ...c, ...patch } : c))),
    [],
  );
  const choiceSetters = useMemo(
    () => [0, 1, 2, 3].map((i) => (choice: Choice) => setColumn(i, { choice })),
    [setColumn],
  );

  const anyRunning = columns.some((_, i) => runs[i]!.state.status === "running");

  function runColumn(i: number, values: Record<string, unknown>) {
    const c = columns[i]!;
    if (!c.choice.model) return;
    void runs[i]!.run({ slug, version: c.version, values, ...c.choice });
  }

  function runAll() {
    const parsed = parseValues(valuesText);
    if (!parsed.ok) {
      setValuesError(parsed.message);
      return;
    }
    setValuesError(null);
    columns.forEach((_, i) => runColumn(i, parsed.values));
  }

  if (error) return <p className="callout callout-error">{error}</p>;
  if (!providers) return <p className="muted">Loading providers…</p>;
  if (providers.length === 0) return <NoProviders />;

  const base = runs[0]!.state;
  return (
    <div className="run-saved">
      <section className="panel card compare-values">
        <ProblemField
          id="compare-values"
          label="Values for every column (JSON; from the saved test values)"
          error={valuesError ?? undefined}
        >
          {(aria) => (
            <textarea
              id="compare-values"
              rows={Math.min(8, Math.max(3, valuesText.split("\n").length))}
              value={valuesText}
              onChange={(e) => setValuesText(e.target.value)}
              spellCheck={false}
              {...aria}
            />
          )}
        </ProblemField>
        <div className="compare-column-actions">
          <button type="button" className="btn btn-primary" onClick={runAll} disabled={anyRunning}>
            Run all columns
          </button>
          {anyRunning ? (
            <button type="button" className="btn" onClick={() => runs.forEach((r) => r.stop())}>
              Stop all
            </button>
          ) : null}
          <button
            type="button"
            className="btn"
            disabled={columns.length >= MAX_COLUMNS || anyRunning}
            onClick={() => setColumns((cs) => [...cs, { version: head.number, choice: { provider: "", model: "" } }])}
          >
            Add a column
          </button>
        </div>
      </section>
      <div className="compare-columns">
        {columns.map((c, i) => {
          const state = runs[i]!.state;
          const running = state.status === "running";
          return (
            <section key={i} className="panel card compare-column" aria-labelledby={`col-${i}-title`}>
              <h3 id={`col-${i}-title`}>
                Column {i + 1}
                {i === 0 ? <span className="muted"> (the diffs compare to this one)</span> : null}
              </h3>
              <div className="field">
                <label htmlFor={`col-${i}-version`}>Version</label>
                <select
                  id={`col-${i}-version`}
                  value={c.version}
                  disabled={running}
                  onChange={(e) => setColumn(i, { version: Number(e.target.value) })}
                >
                  {versionNumbers.map((n) => (
                    <option key={n} value={n}>
                      v{n}
                    </option>
                  ))}
                </select>
              </div>
              <ProviderModelSelect
                providers={providers}
                value={c.choice}
                onChange={choiceSetters[i]!}
                preferredModel={head.model}
                idPrefix={`col-${i}`}
                disabled={running}
              />
              <div className="compare-column-actions">
                {running ? (
                  <button type="button" className="btn" onClick={runs[i]!.stop}>
                    Stop
                  </button>
                ) : (
                  <button
                    type="button"
                    className="btn"
                    onClick={() => {
                      const parsed = parseValues(valuesText);
                      if (parsed.ok) runColumn(i, parsed.values);
                      else setValuesError(parsed.message);
                    }}
                  >
                    Run
                  </button>
                )}
                {columns.length > MIN_COLUMNS && i === columns.length - 1 && !running ? (
                  <button type="button" className="btn btn-ghost" onClick={() => setColumns((cs) => cs.slice(0, -1))}>
                    Remove
                  </button>
                ) : null}
              </div>
              <ColumnOutput index={i} state={state} base={base} />
            </section>
          );
        })}
      </div>
    </div>
  );
}

function ColumnOutput({ index, state, base }: { index: number; state: RunState; base: RunState }) {
  const ops = useMemo(
    () => (index > 0 && state.status !== "idle" && base.status !== "idle" ? diffText(base.text, state.text) : null),
    [index, state.status, state.text, base.status, base.text],
  );
  if (!ops) return <RunOutput state={state} idPrefix={`col-${index}`} />;
  const stats = changeStats(ops);
  return (
    <>
      <div className="run-output compare-diff" id={`col-${index}-output`} aria-live="polite">
        <p className="muted" id={`col-${index}-diffstat`}>
          {stats.added === 0 && stats.removed === 0
            ? "Same as column 1"
            : `Against column 1: +${stats.added} −${stats.removed}`}
        </p>
        <DiffText ops={ops} side="both" />
      </div>
      <RunOutput state={state} idPrefix={`col-${index}`} hideText />
    </>
  );
}
