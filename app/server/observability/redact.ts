/**
 * Redacts what looks like a credential in free text (error messages, URLs) before it leaves the
 * process: bearer tokens, `password=…`/`token: …` pairs, URL user-info and long random-looking
 * strings such as API tokens and session ids.
 */
const PATTERNS: Array<[RegExp, string]> = [
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi, "$1 [redacted]"],
  [
    /\b(pass(?:word|wd)?|secret|token|api[_-]?key|authorization|cookie|session(?:[_-]?id)?)(["']?\s*[:=]\s*["']?)[^\s"'&,;]+/gi,
    "$1$2[redacted]",
  ],
  [/\b([a-z][a-z0-9+.-]*:\/\/)[^/@\s:]+(?::[^/@\s]*)?@/gi, "$1[redacted]@"],
  // 32+ characters of a token alphabet with letters and digits mixed: an API token or session id.
  [/\b(?=[A-Za-z0-9_-]*\d)(?=[A-Za-z0-9_-]*[A-Za-z])[A-Za-z0-9_-]{32,}\b/g, "[redacted]"],
];

export function redactSecrets(text: string): string {
  return PATTERNS.reduce((t, [re, by]) => t.replace(re, by), text);
}
