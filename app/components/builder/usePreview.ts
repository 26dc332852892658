/**
 * Live preview: renders the draft with dotprompt whenever it or the preview values change, and
 * counts tokens with the model's encoder (loaded lazily). Records a `pb-preview` performance
 * measure from the change to the committed preview, which the builder bench reads.
 */
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from "react";
import type { PromptDraft, Variable } from "~/prompt/draft";
import { modelOrFallback } from "~/prompt/models";
import { canCompileTemplates, renderDraft, type RenderResult, type TemplateOutcome, type TemplateRenderer } from "~/prompt/render";
import { loadEncoder, TokenCounter, tokenBudget } from "~/prompt/tokens";
import { parseFormValue } from "~/prompt/variables";
import type { RawValue } from "./VariablesPanel";

let changeStartedAt: number | null = null;
/** Called by the builder when the user changes something the preview depends on. */
export function markChange() {
  if (typeof performance !== "undefined" && changeStartedAt === null) changeStartedAt = performance.now();
}

export function typedValues(variables: readonly Variable[], raw: Readonly<Record<string, RawValue>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const v of variables) {
    const r = raw[v.name];
    if (r === undefined) continue;
    out[v.name] = parseFormValue(v.type, r);
  }
  return out;
}

/** Renders on the server (POST /resources/render) when the page's CSP forbids eval here. */
const remoteRenderer: TemplateRenderer = async (jobs) => {
  const res = await fetch("/resources/render", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ jobs }),
  });
  if (!res.ok) {
    const message = ((await res.json().catch(() => null)) as { error?: string } | null)?.error ?? `the render service answered ${res.status}`;
    return jobs.map(() => ({ error: { message } }));
  }
  return ((await res.json()) as { outcomes: TemplateOutcome[] }).outcomes;
};

let chosen: TemplateRenderer | undefined;
/** Local dotprompt when the page may compile templates, else the server. */
export function pickRenderer(): TemplateRenderer | undefined {
  if (chosen === undefined) chosen = canCompileTemplates() ? undefined : remoteRenderer;
  return chosen;
}

export function usePreview(draft: PromptDraft, raw: Record<string, RawValue>, partials: Record<string, string>) {
  const [result, setResult] = useState<RenderResult | null>(null);
  const seq = useRef(0);
  const { sections, variables, modelSettings } = draft;

  useEffect(() => {
    const n = ++seq.current;
    renderDraft({ sections, variables }, { values: typedValues(variables, raw), partials, renderer: pickRenderer() }).then(
      (r) => {
        if (n === seq.current) setResult(r);
      },
      () => undefined,
    );
  }, [sections, variables, raw, partials]);

  const model = modelOrFallback(modelSettings.model);
  const [counters, setCounters] = useState<Partial<Record<string, TokenCounter>>>({});
  const counter = counters[model.encoding];
  useEffect(() => {
    if (counter) return;
    let cancelled = false;
    loadEncoder(model.encoding).then((enc) => {
      if (!cancelled) setCounters((c) => ({ ...c, [model.encoding]: c[model.encoding] ?? new TokenCounter(enc) }));
    });
    return () => {
      cancelled = true;
    };
  }, [model.encoding, counter]);

  const budget = useMemo(() => (result && counter ? tokenBudget(result.sections, modelSettings, counter) : null), [result, counter, modelSettings]);

  const pending = result === null;
  useLayoutEffect(() => {
    if (changeStartedAt !== null && result) {
      try {
        performance.measure("pb-preview", { start: changeStartedAt, end: performance.now() });
      } catch {
        /* old browsers */
      }
      changeStartedAt = null;
    }
  }, [result, budget]);

  return { result, pending, budget, tokenizerLoading: !counter };
}
