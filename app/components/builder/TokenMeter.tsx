import { FIGURES_AS_OF } from "~/prompt/models";
import { formatCost, type TokenBudget } from "~/prompt/tokens";

export function TokenMeter({ budget, loading }: { budget: TokenBudget | null; loading: boolean }) {
  if (!budget) {
    return (
      <section className="panel token-meter" aria-labelledby="budget-title">
        <h2 id="budget-title">Token budget</h2>
        <p className="muted">{loading ? "Loading the tokenizer…" : "Counting…"}</p>
      </section>
    );
  }
  const { inputTokens, reservedOutput, contextWindow, remaining, fits, exact, model } = budget;
  const pct = (n: number) => `${Math.min(100, Math.max(0, (n / contextWindow) * 100)).toFixed(2)}%`;
  const fmt = (n: number) => n.toLocaleString("en");
  const approx = exact ? "" : "≈";
  return (
    <section className="panel token-meter" aria-labelledby="budget-title">
      <div className="panel-head">
        <h2 id="budget-title">Token budget</h2>
        <span
          className={`badge ${exact ? "badge-success" : "badge-warning"}`}
          title={exact ? `Counted with ${model.encoding}` : "Anthropic does not publish its tokenizer"}
        >
          {exact ? `exact · ${model.encoding}` : "estimate"}
        </span>
      </div>
      <div
        className="meter"
        role="meter"
        aria-label="Context window used by input and reserved answer"
        aria-valuemin={0}
        aria-valuemax={contextWindow}
        aria-valuenow={Math.min(contextWindow, inputTokens + reservedOutput)}
        aria-valuetext={`${approx}${fmt(inputTokens)} input tokens and ${fmt(reservedOutput)} reserved for the answer, of ${fmt(contextWindow)}`}
      >
        <span className={`meter-input${fits ? "" : " over"}`} style={{ width: pct(inputTokens) }} />
        <span
          className="meter-output"
          style={{ width: pct(Math.min(reservedOutput, Math.max(0, contextWindow - inputTokens))) }}
        />
      </div>
      <dl className="budget-figures">
        <div>
          <dt>Input</dt>
          <dd data-testid="input-tokens">
            {approx}
            {fmt(inputTokens)}
          </dd>
        </div>
        <div>
          <dt title="max_tokens, kept free for the answer">Answer</dt>
          <dd>{fmt(reservedOutput)}</dd>
        </div>
        <div>
          <dt>{fits ? "Room left" : "Over by"}</dt>
          <dd className={fits ? "" : "text-danger"}>{fmt(Math.abs(remaining))}</dd>
        </div>
        <div>
          <dt>Input cost</dt>
          <dd>
            {approx}
            {formatCost(budget.inputCost)}
          </dd>
        </div>
      </dl>
      <p className="budget-note">
        {model.label}: {fmt(contextWindow)} context · ${model.inputPerMTok}/M in · ${model.outputPerMTok}/M out · answer
        up to {formatCost(budget.maxOutputCost)}.
        {exact
          ? ""
          : ` Counted with ${model.encoding} × ${model.estimateFactor}; use Anthropic's count_tokens API for the exact figure.`}{" "}
        Prices as of {FIGURES_AS_OF}.
      </p>
      {fits ? null : (
        <p className="field-error" role="alert">
          The prompt and the reserved answer do not fit in {model.label}&apos;s context window. Shorten the prompt,
          lower max_tokens or pick a model with a larger window.
        </p>
      )}
    </section>
  );
}
