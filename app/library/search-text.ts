/**
 * The full-text search document and query, shared by SQLite (FTS5) and PostgreSQL (tsvector).
 * Both databases index the same normalised text: lower-case words of letters, digits and marks,
 * separated by single spaces. SQLite's unicode61 tokenizer (diacritics kept) and PostgreSQL's
 * 'simple' configuration split that text into exactly the same tokens, so a query matches the same
 * prompts in both (docs/decisions/030-full-text-search.md). Pure: no database, no Node APIs.
 */

/** Longest word indexed: PostgreSQL skips words over 2047 bytes; nobody searches for these. */
export const MAX_WORD_CHARS = 100;
/** Upper bound of a search document: a tsvector must stay under 1 MB; the head of a long prompt is enough. */
export const MAX_DOCUMENT_CHARS = 100_000;
/** Words of a query beyond this are ignored. */
export const MAX_QUERY_WORDS = 12;

const SEPARATORS = /[^\p{L}\p{N}\p{M}]+/u;

/** The words of `text` as the index sees them. */
export function searchWords(text: string): string[] {
  return text
    .normalize("NFC")
    .toLowerCase()
    .split(SEPARATORS)
    .filter((w) => w.length > 0 && w.length <= MAX_WORD_CHARS);
}

type SearchableSection = {
  title?: string;
  template?: string;
  examples?: ReadonlyArray<{ input: string; output: string }>;
};

/** Name, description and section text (titles, templates, examples) as one normalised document. */
export function searchDocument(input: {
  name: string;
  description?: string;
  sections?: readonly SearchableSection[];
}): string {
  const parts: string[] = [input.name, input.description ?? ""];
  for (const s of input.sections ?? []) {
    parts.push(s.title ?? "", s.template ?? "");
    for (const e of s.examples ?? []) parts.push(e.input, e.output);
  }
  let out = "";
  for (const part of parts) {
    if (out.length >= MAX_DOCUMENT_CHARS) break;
    const words = searchWords(part.length > MAX_DOCUMENT_CHARS ? part.slice(0, MAX_DOCUMENT_CHARS) : part).join(" ");
    if (!words) continue;
    out = out ? `${out} ${words}` : words;
  }
  if (out.length > MAX_DOCUMENT_CHARS) {
    const cut = out.lastIndexOf(" ", MAX_DOCUMENT_CHARS);
    out = out.slice(0, cut > 0 ? cut : MAX_DOCUMENT_CHARS);
  }
  return out;
}

/** The query's words (deduplicated, at most MAX_QUERY_WORDS); every one must match as a word prefix. */
export function queryWords(q: string): string[] {
  return [...new Set(searchWords(q))].slice(0, MAX_QUERY_WORDS);
}

/** FTS5 MATCH expression: each word quoted (no operators can be injected) and prefix-matched. */
export function ftsMatchExpression(words: readonly string[]): string {
  return words.map((w) => `"${w.replace(/"/g, '""')}"*`).join(" ");
}

/** PostgreSQL to_tsquery text: the words (letters, digits and marks only) as prefixes, all required. */
export function tsQueryExpression(words: readonly string[]): string {
  return words.map((w) => `${w}:*`).join(" & ");
}
