/**
 * File ↔ instance mapping for git sync, the same as the `.prompt` zip's (app/library/prompt-zip.ts):
 * a prompt is `<folder below the pulled one>/<slug>.prompt`, a snippet is `_<name>.prompt` at the
 * top. Paths are relative, with `/`, and never leave the directory: a path the instance sends that
 * would is refused before anything is written. Pure.
 */
export const PROMPT_EXT = ".prompt";
const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const SNIPPET_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

export type FileTarget =
  | { kind: "prompt"; slug: string; folder: string }
  | { kind: "snippet"; name: string }
  | { kind: "invalid"; reason: string };

/** A relative path that stays inside the directory: no absolute path, no empty, "." or ".." part, no backslash. */
export function isSafeRelativePath(path: string): boolean {
  if (!path || path.startsWith("/") || path.includes("\\") || path.includes("\0") || /^[A-Za-z]:/.test(path))
    return false;
  return path.split("/").every((part) => part !== "" && part !== "." && part !== "..");
}

/** Joins the pulled folder and a folder below it. */
export function joinFolder(base: string, rel: string): string {
  return [base, rel].filter(Boolean).join("/");
}

/** What a local file stands for: a prompt (its slug and full folder path) or a snippet. */
export function targetOfPath(path: string, baseFolder: string): FileTarget {
  if (!isSafeRelativePath(path)) return { kind: "invalid", reason: "not a plain relative path" };
  if (!path.endsWith(PROMPT_EXT)) return { kind: "invalid", reason: `not a ${PROMPT_EXT} file` };
  const parts = path.split("/");
  const stem = parts.pop()!.slice(0, -PROMPT_EXT.length);
  if (stem.startsWith("_")) {
    const name = stem.slice(1);
    if (parts.length) return { kind: "invalid", reason: "snippet files (_name.prompt) belong at the top of the tree" };
    if (!SNIPPET_NAME.test(name))
      return { kind: "invalid", reason: `"${name}" is not a snippet name (letters, digits, _ . -, at most 64)` };
    return { kind: "snippet", name };
  }
  if (!SLUG.test(stem) || stem.length > 100)
    return {
      kind: "invalid",
      reason: `"${stem}" is not a slug: the file name must be lower-case letters and digits joined by single hyphens`,
    };
  return { kind: "prompt", slug: stem, folder: joinFolder(baseFolder, parts.join("/")) };
}

/** The identity of a file on the instance, for matching a lock entry, a local file and the instance's file. */
export function keyOf(target: { kind: "prompt"; slug: string } | { kind: "snippet"; name: string }): string {
  return target.kind === "prompt" ? `prompt:${target.slug}` : `snippet:${target.name}`;
}

/** A front-matter-less name for a new prompt made from its file: "support-reply" → "Support reply". */
export function nameFromSlug(slug: string): string {
  const words = slug.replaceAll("-", " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}
