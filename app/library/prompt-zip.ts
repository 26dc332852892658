/**
 * A folder or the whole library as a zip of `.prompt` files in the folder tree (issue 13): each
 * prompt's newest version as `folder/slug.prompt` (the same file as the dotprompt export), each
 * snippet as a dotprompt partial `_name.prompt` at the top, and `prompt-builder.json`, a small
 * manifest of what the files cannot hold (names, labels, version numbers, tags). Entries carry a
 * fixed date, so the same library gives the same bytes. Pure.
 */
import { strToU8, zipSync, type Zippable } from "fflate";
import type { PromptDraft } from "~/prompt/draft";
import { toDotpromptSource } from "~/prompt/targets";

export const ZIP_MANIFEST = "prompt-builder.json";
export const ZIP_FORMAT_VERSION = 1;
/** Every entry's modification time: a zip of the same library is the same bytes. */
const FIXED_MTIME = new Date("2000-01-01T00:00:00Z");

export type ZipPrompt = {
  slug: string;
  name: string;
  description: string;
  folder: string;
  tags: string[];
  headVersion: number;
  labels: Record<string, number>;
  draft: PromptDraft;
};
export type ZipSnippet = { name: string; description: string; headVersion: number; template: string };

/** The files of the zip, path → text, in a stable order (manifest last). */
export function promptZipFiles(input: { prompts: ZipPrompt[]; snippets: ZipSnippet[]; folder?: string }) {
  const files: Record<string, string> = {};
  const manifest = {
    formatVersion: ZIP_FORMAT_VERSION,
    folder: input.folder ?? "",
    notHeld:
      "The files hold each prompt's newest version and each snippet's newest template; older versions, label history, saved test values, disabled sections and the text/string distinction of variables are not in them.",
    prompts: {} as Record<
      string,
      { slug: string; name: string; folder: string; tags: string[]; version: number; labels: Record<string, number> }
    >,
    snippets: {} as Record<string, { name: string; description: string; version: number }>,
  };
  const base = input.folder ? `${input.folder}/` : "";
  for (const p of [...input.prompts].sort((a, b) => (a.slug < b.slug ? -1 : 1))) {
    const rel =
      input.folder && p.folder === input.folder
        ? ""
        : p.folder.startsWith(base)
          ? p.folder.slice(base.length)
          : p.folder;
    const path = `${rel ? `${rel}/` : ""}${p.slug}.prompt`;
    files[path] = toDotpromptSource(p.draft, { description: p.description });
    manifest.prompts[path] = {
      slug: p.slug,
      name: p.name,
      folder: p.folder,
      tags: p.tags,
      version: p.headVersion,
      labels: p.labels,
    };
  }
  for (const s of [...input.snippets].sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const path = `_${s.name}.prompt`;
    files[path] = s.template;
    manifest.snippets[path] = { name: s.name, description: s.description, version: s.headVersion };
  }
  files[ZIP_MANIFEST] = `${JSON.stringify(manifest, null, 2)}\n`;
  return files;
}

/** The zip itself. */
export function promptZip(input: Parameters<typeof promptZipFiles>[0]): Uint8Array {
  const entries: Zippable = {};
  for (const [path, text] of Object.entries(promptZipFiles(input)))
    entries[path] = [strToU8(text), { mtime: FIXED_MTIME, level: 6 }];
  return zipSync(entries);
}
