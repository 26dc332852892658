/**
 * What the builder computes per change, in one place: render the draft (analysis, value checks,
 * dotprompt), the declarations it would suggest, and the token budget of the chosen model. Runs in
 * the render worker; the builder's server fallback runs the same code on the page with a renderer
 * that asks /resources/render. The tokenizer is loaded on first use: results carry `budget: null`
 * until then, and the latest request is recomputed (`onRefresh`) once it is there.
 */
import type { Encoding } from "~/prompt/models";
import { modelOrFallback } from "~/prompt/models";
import { renderDraft, type TemplateRenderer } from "~/prompt/render";
import { loadEncoder, TokenCounter, tokenBudget } from "~/prompt/tokens";
import { inferDeclarations } from "~/prompt/variables";
import type { PreviewRequest, PreviewResult } from "./render-protocol";

export class PreviewEngine {
  private readonly counters = new Map<Encoding, TokenCounter>();
  private readonly loading = new Set<Encoding>();
  private latest: PreviewRequest | undefined;

  constructor(
    private readonly options: {
      /** Default: dotprompt here. */
      renderer?: TemplateRenderer;
      /** Called with a recomputed result for the latest request when its tokenizer has loaded. */
      onRefresh?: (result: PreviewResult) => void;
    } = {},
  ) {}

  async compute(req: PreviewRequest): Promise<PreviewResult> {
    this.latest = req;
    const { sections, variables, modelSettings } = req.draft;
    const rendered = await renderDraft(
      { sections, variables },
      { values: req.values, partials: req.partials, renderer: this.options.renderer, conversation: req.chat ?? false },
    );
    const encoding = modelOrFallback(modelSettings.model).encoding;
    const counter = this.counters.get(encoding);
    if (!counter) this.load(encoding);
    return {
      id: req.id,
      ok: rendered.ok,
      sections: rendered.sections,
      conversation: rendered.conversation,
      issues: rendered.issues,
      undeclared: rendered.analysis.undeclared,
      declarations: rendered.analysis.undeclared.length ? inferDeclarations(rendered.analysis) : [],
      budget: counter ? tokenBudget(rendered.sections, modelSettings, counter) : null,
    };
  }

  private load(encoding: Encoding) {
    if (this.loading.has(encoding)) return;
    this.loading.add(encoding);
    loadEncoder(encoding).then(
      (enc) => {
        this.counters.set(encoding, new TokenCounter(enc));
        const latest = this.latest;
        if (
          latest &&
          modelOrFallback(latest.draft.modelSettings.model).encoding === encoding &&
          this.options.onRefresh
        ) {
          const onRefresh = this.options.onRefresh;
          this.compute(latest).then(onRefresh, () => undefined);
        }
      },
      () => this.loading.delete(encoding), // try again on the next change
    );
  }
}
