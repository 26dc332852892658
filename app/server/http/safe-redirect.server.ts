/**
 * Redirect targets are same-origin paths only. A target a client can influence (a `back` or
 * `redirectTo` field) is refused unless it is a plain path: it starts with one "/", holds no
 * backslash (browsers read "/\evil.example" as "//evil.example"), no control character (a newline
 * in `Location` is header injection, and Node refuses it with a 500), and no scheme. Routes check
 * it before they write anything. See docs/decisions/064-same-origin-and-redirects.md.
 */
import { redirect } from "@remix-run/node";
import { InvalidError } from "~/prompt/errors";

// C0 controls, DEL and the C1 range; browsers strip some of them from URLs, so none may pass.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/** The target when it is a same-origin path, else null. */
export function safeRedirectPath(target: string): string | null {
  if (!target.startsWith("/") || target.startsWith("//")) return null;
  if (target.includes("\\") || CONTROL.test(target)) return null;
  // What a browser would resolve it to must stay on this origin.
  try {
    const base = "http://same-origin.invalid";
    if (new URL(target, base).origin !== base) return null;
  } catch {
    return null;
  }
  return target;
}

/**
 * The redirect target from a form field: `fallback` when the field is absent or empty, the path
 * when it is safe, else a 400 naming the field (thrown before any write).
 */
export function redirectField(value: FormDataEntryValue | null, field: string, fallback = "/"): string {
  if (value === null || value === "") return fallback;
  const path = typeof value === "string" ? safeRedirectPath(value) : null;
  if (path) return path;
  throw InvalidError.field(field, "must be a path on this site (starting with a single /)", { malformed: true });
}

/**
 * A redirect to a path this app built (often from a URL parameter): characters a header cannot
 * carry (non-ASCII, spaces) are percent-encoded, and anything but a same-origin path is a bug.
 */
export function localRedirect(path: string, init?: number | ResponseInit): Response {
  const encoded = path.replace(/[^\x21-\x7e]/gu, (c) => {
    try {
      return encodeURIComponent(c);
    } catch {
      return "%EF%BF%BD"; // a lone surrogate: U+FFFD
    }
  });
  const safe = safeRedirectPath(encoded);
  if (!safe) throw new Error(`refusing to redirect to ${JSON.stringify(path)}: not a same-origin path`);
  return redirect(safe, init);
}
