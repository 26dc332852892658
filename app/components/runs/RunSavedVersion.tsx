/**
 * Run a saved version (the runs page): pick the version (a GET form, so it also works as a link),
 * the provider and model, edit the values (JSON, starting from the prompt's saved test values) and
 * run; the answer streams in, Stop aborts, and the list below reloads when the run ends.
 */
import { Form, useNavigation, useRevalidator } from "@remix-run/react";
import { useCallback, useEffect, useRef, useState } from "react";
import { usePlaygroundRun, useProviders } from "../builder/usePlaygroundRun";
import { NoProviders, ProviderModelSelect, type Choice } from "./ProviderModelSelect";
import { ProblemField } from "~/components/ProblemField";
import { RunOutput } from "./RunOutput";

export function parseValues(
  text: string,
): { ok: true; values: Record<string, unknown> } | { ok: false; message: string } {
  try {
    const v: unknown = JSON.parse(text || "{}");
    if (v && typeof v === "object" && !Array.isArray(v)) return { ok: true, values: v as Record<string, unknown> };
    return { ok: false, message: 'The values must be a JSON object: {"name": value}.' };
  } catch (e) {
    return { ok: false, message: `The values are not valid JSON: ${(e as Error).message}` };
  }
}

export function RunSavedVersion({
  slug,
  versionNumbers,
  use,
  params,
}: {
  slug: string;
  versionNumbers: readonly number[];
  use: { number: number; model: string; values: Record<string, unknown> };
  /** The page's query, kept when another version is picked. */
  params: string;
}) {
  const { providers, error } = useProviders(true);
  const { state, run, stop } = usePlaygroundRun();
  const [choice, setChoice] = useState<Choice>({ provider: "", model: "" });
  const [valuesText, setValuesText] = useState(() => JSON.stringify(use.values, null, 2));
  const [valuesError, setValuesError] = useState<string | null>(null);
  const revalidator = useRevalidator();
  const navigationIdle = useRef(true);
  navigationIdle.current = useNavigation().state === "idle";
  const running = state.status === "running";
  const onChoice = useCallback((c: Choice) => setChoice(c), []);

  // The run is recorded when it ends: show it in the list.
  // A stopped run is written when the server sees the connection close, a moment after: look again.
  const ended = state.status === "done" || state.status === "failed";
  const stopped = state.failure?.kind === "aborted";
  useEffect(() => {
    if (!ended) return;
    revalidator.revalidate();
    if (!stopped) return;
    // Not over a navigation in progress (a revalidation would interrupt it).
    const timers = [750, 2000].map((ms) => setTimeout(() => navigationIdle.current && revalidator.revalidate(), ms));
    return () => timers.forEach(clearTimeout);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- once per ending
  }, [ended, stopped]);

  const kept = new URLSearchParams(params);
  kept.delete("use");
  kept.delete("deleted");

  return (
    <section className="panel card run-saved" aria-labelledby="run-saved-title">
      <h2 id="run-saved-title">Run a saved version</h2>
      <Form method="get" className="inline-form run-version-pick">
        {[...kept.entries()].map(([k, v]) => (
          <input key={k} type="hidden" name={k} value={v} />
        ))}
        <label htmlFor="run-use">Version</label>
        <select
          id="run-use"
          name="use"
          defaultValue={use.number}
          onChange={(e) => e.currentTarget.form?.requestSubmit()}
          disabled={running}
        >
          {versionNumbers.map((n) => (
            <option key={n} value={n}>
              v{n}
            </option>
          ))}
        </select>
        <noscript>
          <button type="submit" className="btn btn-sm">
            Pick
          </button>
        </noscript>
      </Form>
      {error ? <p className="callout callout-error">{error}</p> : null}
      {providers && providers.length === 0 ? <NoProviders /> : null}
      {providers && providers.length > 0 ? (
        <>
          <div className="run-controls">
            <ProviderModelSelect
              providers={providers}
              value={choice}
              onChange={onChoice}
              preferredModel={use.model}
              idPrefix="run"
              disabled={running}
            />
            <div className="run-buttons">
              {running ? (
                <button type="button" className="btn" onClick={stop}>
                  Stop
                </button>
              ) : (
                <button
                  type="button"
                  className="btn btn-primary"
                  disabled={!choice.model}
                  onClick={() => {
                    const parsed = parseValues(valuesText);
                    if (!parsed.ok) {
                      setValuesError(parsed.message);
                      return;
                    }
                    setValuesError(null);
                    void run({ slug, version: use.number, values: parsed.values, ...choice });
                  }}
                >
                  Run v{use.number}
                </button>
              )}
            </div>
          </div>
          <ProblemField
            id="run-values"
            label="Values (JSON; from the saved test values)"
            error={valuesError ?? undefined}
          >
            {(aria) => (
              <textarea
                id="run-values"
                className="mono"
                rows={Math.min(10, Math.max(3, valuesText.split("\n").length))}
                value={valuesText}
                onChange={(e) => setValuesText(e.target.value)}
                spellCheck={false}
                {...aria}
              />
            )}
          </ProblemField>
          <RunOutput state={state} />
        </>
      ) : null}
      {!providers && !error ? <p className="muted">Loading providers…</p> : null}
    </section>
  );
}
