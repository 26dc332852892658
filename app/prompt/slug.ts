/**
 * The one slug rule: how a name becomes a URL segment (a prompt's slug) or an identifier (a
 * custom section's XML tag). Pure: the builder guesses the slug the server will give a new prompt.
 */

/** A slug is at most this long; uniqueSlug may add "-2", "-3"… after it. */
export const MAX_SLUG_LENGTH = 60;

/**
 * Lower-case ASCII letters and digits, runs of anything else turned into one `separator`, none at
 * either end. Accents are dropped ("Café" → "cafe"); other scripts drop out entirely, so the
 * result may be "".
 */
export function slugWords(text: string, separator = "-"): string {
  return text
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean)
    .join(separator);
}

/** A prompt's slug from its name: at most MAX_SLUG_LENGTH characters, "prompt" when nothing is left. */
export function slugify(name: string): string {
  return slugWords(name).slice(0, MAX_SLUG_LENGTH).replace(/-+$/, "") || "prompt";
}
