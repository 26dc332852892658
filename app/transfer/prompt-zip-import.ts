/**
 * The files of a `.prompt` zip (the export of app/library/prompt-zip.ts, or a folder of dotprompt
 * files zipped by hand) → a bundle, which the bundle importer then checks and writes like any
 * other (one transaction, the clash policies, snippet cycles, audit). Decision 129. Pure.
 *
 * - `dir/name.prompt` → a prompt with one version: the file read by `parseDotprompt` (sections
 *   follow the role blocks); its description is the front matter's.
 * - `_name.prompt` (at any depth) → a snippet (a dotprompt partial): the file is its template.
 * - `prompt-builder.json`, when present, must be `formatVersion` 1; from it are taken, per path,
 *   the prompt's slug, name and tags, and the snippet's name and description. The folder always
 *   comes from the path (under the manifest's `folder`, the folder that was exported), so moving a
 *   file moves the prompt. NOT taken: version numbers (an imported prompt or snippet starts at
 *   version 1, or gets the next number under new-version) and labels (a label moves only through
 *   the label rules — renders checked, gates, protection — which an import does not run).
 * - Without a manifest entry: slug from the file name (slugified), name from the front matter's
 *   `name` or the file name, no tags.
 * - Each prompt version pins the snippets it includes (transitively) as they will be: the zip's
 *   own partial, else this instance's newest version (`here`), as a save would.
 */
import { z } from "zod";
import type { Issue } from "~/prompt/problem";
import { folderPathSchema } from "~/prompt/draft";
import { InvalidError } from "~/prompt/errors";
import { parseDotprompt } from "~/prompt/dotprompt-import";
import { slugify } from "~/prompt/slug";
import { analyzeTemplate } from "~/prompt/template-ast";
import { ZIP_FORMAT_VERSION, ZIP_MANIFEST } from "~/library/prompt-zip";
import {
  BUNDLE_FORMAT_VERSION,
  folderAndTagRows,
  parseBundle,
  type BundleParse,
  type BundlePrompt,
  type BundleSnippet,
} from "./bundle";

export type ZipFileText = { path: string; text: string };
/** A label the manifest records, which the import does not move: its prompt (slug) and source version. */
export type LabelLeft = { prompt: string; label: string; version: number };
/** A snippet this instance has now: its newest version's number and template. */
export type SnippetHere = { number: number; template: string };

const manifestSchema = z
  .object({
    formatVersion: z.literal(ZIP_FORMAT_VERSION),
    folder: folderPathSchema.default(""),
    notHeld: z.string().max(2000).optional(),
    prompts: z
      .record(
        z.string().max(500),
        z
          .object({
            slug: z.string().max(200).optional(),
            name: z.string().max(500).optional(),
            folder: z.string().max(500).optional(),
            tags: z.array(z.string().max(100)).max(50).optional(),
            version: z.number().optional(),
            labels: z.record(z.string().max(100), z.number()).optional(),
          })
          .strict(),
      )
      .default({}),
    snippets: z
      .record(
        z.string().max(500),
        z
          .object({
            name: z.string().max(200).optional(),
            description: z.string().max(5000).optional(),
            version: z.number().optional(),
          })
          .strict(),
      )
      .default({}),
  })
  .strict();
type Manifest = z.infer<typeof manifestSchema>;

const fail = (status: 400 | 422, error: string, issues: Issue[]): BundleParse => ({ ok: false, status, error, issues });
const zodIssues = (at: Issue["path"], error: z.ZodError): Issue[] =>
  error.issues.slice(0, 50).map((i) => ({
    path: [...at, ...i.path.map((p) => (typeof p === "symbol" ? String(p) : p))],
    message: i.message,
  }));

function readManifest(text: string): { ok: true; manifest: Manifest } | { ok: false; issues: Issue[] } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, issues: [{ path: [ZIP_MANIFEST], message: "is not valid JSON" }] };
  }
  const version = (value as { formatVersion?: unknown } | null)?.formatVersion;
  if (version !== ZIP_FORMAT_VERSION)
    return {
      ok: false,
      issues: [
        {
          path: [ZIP_MANIFEST, "formatVersion"],
          message: `is ${JSON.stringify(version ?? null)}; this instance reads manifest format ${ZIP_FORMAT_VERSION}`,
        },
      ],
    };
  const parsed = manifestSchema.safeParse(value);
  return parsed.success
    ? { ok: true, manifest: parsed.data }
    : { ok: false, issues: zodIssues([ZIP_MANIFEST], parsed.error) };
}

const baseName = (path: string) => path.slice(path.lastIndexOf("/") + 1, -".prompt".length);
const dirName = (path: string) => (path.includes("/") ? path.slice(0, path.lastIndexOf("/")) : "");

/** The snippets a template reaches through {{> name}}, transitively, resolved in `available`. */
function pinsFor(
  templates: readonly string[],
  available: ReadonlyMap<string, SnippetHere>,
): BundlePrompt["versions"][number]["pins"] {
  const queue = templates.flatMap((t) => analyzeTemplate(t).partials.map((p) => p.name));
  const out = new Map<string, BundlePrompt["versions"][number]["pins"][number]>();
  while (queue.length) {
    const name = queue.shift()!;
    if (out.has(name)) continue;
    const s = available.get(name);
    if (!s) continue;
    out.set(name, { name, snippet: name, snippetVersion: s.number, template: s.template });
    for (const p of analyzeTemplate(s.template).partials) if (!out.has(p.name)) queue.push(p.name);
  }
  return [...out.values()].sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * The zip's files → a bundle checked by `parseBundle`, with every problem's path pointing at the zip
 * entry it came from (`["support/reply.prompt", "sections", 0, "template"]`). `now` is every row's time.
 */
export async function promptZipToBundle(
  files: readonly ZipFileText[],
  here: ReadonlyMap<string, SnippetHere>,
  now: string,
): Promise<BundleParse & { sources?: { prompts: string[]; snippets: string[] }; labelsLeft?: LabelLeft[] }> {
  const manifestFile = files.find((f) => f.path === ZIP_MANIFEST);
  let manifest: Manifest = { formatVersion: ZIP_FORMAT_VERSION, folder: "", prompts: {}, snippets: {} };
  if (manifestFile) {
    const read = readManifest(manifestFile.text);
    if (!read.ok)
      return fail(
        422,
        read.issues[0]!.path[1] === "formatVersion"
          ? "Unknown manifest formatVersion."
          : `${ZIP_MANIFEST} does not fit the manifest format.`,
        read.issues,
      );
    manifest = read.manifest;
  }
  const promptFiles = files.filter((f) => f.path.endsWith(".prompt") && !baseName(f.path).startsWith("_"));
  const snippetFiles = files.filter((f) => f.path.endsWith(".prompt") && baseName(f.path).startsWith("_"));
  if (!promptFiles.length && !snippetFiles.length)
    return fail(422, "The zip holds no .prompt files.", [{ path: [], message: "holds no .prompt files" }]);

  const issues: Issue[] = [];
  const snippets: BundleSnippet[] = snippetFiles.map((f) => {
    const entry = manifest.snippets[f.path];
    const name = entry?.name ?? baseName(f.path).slice(1);
    // The same text as this instance's newest version: that version, which the import then skips
    // as "already here" under every policy (and prompts pin it).
    const number = here.get(name)?.template === f.text ? here.get(name)!.number : 1;
    return {
      name,
      description: entry?.description ?? "",
      headVersion: number,
      createdAt: now,
      updatedAt: now,
      deletedAt: null,
      versions: [{ number, template: f.text, message: `Imported from ${f.path}`, author: null, createdAt: now }],
    };
  });
  // What a {{> name}} will resolve to after the import: the zip's partial, else this instance's.
  const available = new Map<string, SnippetHere>(here);
  for (const s of snippets) available.set(s.name, { number: s.headVersion, template: s.versions[0]!.template });

  const prompts: BundlePrompt[] = [];
  const labelsLeft: LabelLeft[] = [];
  for (const f of promptFiles) {
    let read: Awaited<ReturnType<typeof parseDotprompt>>;
    try {
      read = await parseDotprompt(f.text);
    } catch (error) {
      if (!(error instanceof InvalidError)) throw error;
      issues.push(
        ...error.issues.map((i) => ({ path: [f.path, ...i.path.filter((p) => p !== "file")], message: i.message })),
      );
      continue;
    }
    const entry = manifest.prompts[f.path];
    const dir = dirName(f.path);
    const folder = [manifest.folder, dir].filter(Boolean).join("/");
    const draft = read.draft;
    const slug = entry?.slug ?? slugify(baseName(f.path));
    for (const [label, version] of Object.entries(entry?.labels ?? {}))
      labelsLeft.push({ prompt: slug, label, version });
    prompts.push({
      slug,
      name: entry?.name ?? read.name ?? baseName(f.path),
      description: read.description,
      folder,
      tags: entry?.tags ?? [],
      favorite: false,
      visibility: "shared",
      owner: null,
      headVersion: 1,
      createdAt: now,
      updatedAt: now,
      deletedAt: null,
      testValues: { default: {} },
      versions: [
        {
          number: 1,
          message: `Imported from ${f.path}`,
          author: null,
          createdAt: now,
          sections: draft.sections,
          variables: draft.variables,
          modelSettings: draft.modelSettings,
          pins: pinsFor(
            draft.sections.flatMap((s) => [s.template, ...s.examples.flatMap((e) => [e.input, e.output])]),
            available,
          ),
        },
      ],
      labels: [],
    });
  }
  if (issues.length) return fail(422, "Some .prompt files cannot be read.", issues.slice(0, 200));

  const { folders, tags } = folderAndTagRows(prompts, now);
  const sources = { prompts: promptFiles.map((f) => f.path), snippets: snippetFiles.map((f) => f.path) };
  const parsed = parseBundle({ formatVersion: BUNDLE_FORMAT_VERSION, folders, tags, snippets, prompts });
  if (parsed.ok) return { ...parsed, sources, labelsLeft };
  return { ...parsed, issues: zipIssuePaths(parsed.issues, sources) };
}

/** A bundle problem's path (`["prompts", 2, …]`) → the zip entry it came from (`["a/b.prompt", …]`). */
export function zipIssuePaths(issues: readonly Issue[], sources: { prompts: string[]; snippets: string[] }): Issue[] {
  return issues.map((issue) => {
    const [head, index, ...rest] = issue.path;
    const list = head === "prompts" ? sources.prompts : head === "snippets" ? sources.snippets : null;
    if (list && typeof index === "number" && list[index] !== undefined) {
      // One version per entry: "versions.0.sections.2" is the file's "sections.2".
      const tail = rest[0] === "versions" ? (rest[1] === 0 ? rest.slice(2) : rest.slice(1)) : rest;
      return { path: [list[index]!, ...tail], message: issue.message };
    }
    if (head === "folders" || head === "tags") return { path: [ZIP_MANIFEST, ...issue.path], message: issue.message };
    return issue;
  });
}
