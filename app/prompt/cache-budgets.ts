/**
 * How much each of the process's caches may hold, in characters of what it keeps (every cache is a
 * BoundedCache: entries and characters). One table so the total is visible: together at most 10.5
 * million characters, of which the render paths (template analysis, compiled templates, rendered
 * output, conversations) also exist once in each render thread. The working set they serve — the
 * versions programs poll and render — is far smaller; these bounds were 24 million characters
 * until the 3-minute soak's steady RSS had to fit 256 MB (docs/decisions/131).
 */
export const CACHE_CHARS = {
  /** app/prompt/template-ast.ts: analyses by template source. */
  templateAnalysis: 1_000_000,
  /** app/prompt/render.ts: compiled templates by source, each counted as compiledTemplateSize says. */
  compiledTemplates: 2_000_000,
  /** app/prompt/render.ts: rendered text by template, values and snippets. */
  renderedOutput: 1_000_000,
  /** app/prompt/render.ts: whole-prompt conversations of the chat targets. */
  conversations: 500_000,
  /** app/models/serving.server.ts: immutable versions as the API serves them. */
  servedVersions: 2_000_000,
  /** app/models/serving.server.ts: response bodies with their ETags. */
  representations: 2_000_000,
  /** app/models/serving.server.ts: render results by version, snippets, target and values. */
  renderResults: 1_000_000,
  /** app/models/serving.server.ts: the last label-state rows per statement (SQLite). */
  labelState: 1_000_000,
} as const;

/**
 * What one compiled template counts against its budget: twice its source plus a fixed 8,000. A
 * template of 40 characters compiles to 8–10 kB of heap (closures and generated code: measured with
 * 1,000 templates, docs/decisions/131), so counting only the source let 1,000 small ones hold
 * 10 MB in every render thread.
 */
export const compiledTemplateSize = (source: string) => source.length * 2 + 8_000;
/** One template analysis: its source plus about 500 bytes of objects (measured the same way). */
export const templateAnalysisSize = (source: string) => source.length + 500;
