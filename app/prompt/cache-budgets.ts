/**
 * How much each of the process's caches may hold, in characters of what it keeps (every cache is a
 * BoundedCache: entries and characters). One table so the total is visible: together at most 9.5
 * million characters, of which the render paths (template analysis, compiled templates, rendered
 * output, conversations) also exist once in each render thread. The working set they serve — the
 * versions programs poll and render — is far smaller; these bounds were 24 million characters
 * until the 3-minute soak's steady RSS had to fit 256 MB (docs/decisions/131).
 */
export const CACHE_CHARS = {
  /** app/prompt/template-ast.ts: analyses by template source. */
  templateAnalysis: 1_000_000,
  /** app/prompt/render.ts: compiled templates by source (compiled code is several times its source). */
  compiledTemplates: 1_000_000,
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
