/**
 * A `.prompt` zip into this instance (decision 129): the entries read defensively
 * (app/server/transfer/zip-entries.server.ts), converted to a bundle (app/transfer/prompt-zip-import.ts), then the
 * bundle importer's own plan and transaction — so clash policies, snippet cycles, dry runs and the
 * audit event are the bundle import's. Every problem's path names the zip entry it is about.
 */
import type { Db } from "~/server/db.server";
import { InvalidError } from "~/prompt/errors";
import type { Issue } from "~/prompt/problem";
import { currentSnippets } from "~/models/snippet-pins.server";
import { versionInclude, versionToDraft } from "~/models/prompt-store.server";
import { toDotpromptSource } from "~/prompt/targets";
import {
  importBundle,
  previewImport,
  type ClashPolicy,
  type ImportOptions,
  type ImportReport,
} from "~/models/bundle-import.server";
import type { Bundle } from "~/transfer/bundle";
import { promptZipToBundle, zipIssuePaths, type LabelLeft } from "~/transfer/prompt-zip-import";
import { readZipEntries } from "~/server/transfer/zip-entries.server";

export type ZipBundle = {
  bundle: Bundle;
  sources: { prompts: string[]; snippets: string[] };
  /** Labels the manifest records: not moved by an import, so the report lists them. */
  labelsLeft: LabelLeft[];
};

/** The zip's bytes → a checked bundle, or why not (400 unreadable, 422 checked), like parseImportText. */
export async function readZipBundle(
  db: Db,
  bytes: Buffer,
): Promise<{ ok: true; zip: ZipBundle } | { ok: false; status: 400 | 422; error: string; issues: Issue[] }> {
  const read = readZipEntries(bytes);
  if (!read.ok) return read;
  const here = new Map(
    [...(await currentSnippets(db))].map(([name, s]) => [name, { number: s.snippetNumber, template: s.template }]),
  );
  const result = await promptZipToBundle(read.files, here, new Date().toISOString());
  if (!result.ok) return { ok: false, status: result.status, error: result.error, issues: result.issues };
  return {
    ok: true,
    zip: { bundle: await sameAsHere(db, result.bundle), sources: result.sources!, labelsLeft: result.labelsLeft ?? [] },
  };
}

/** The zip's bytes → a checked bundle; an InvalidError (400 when unreadable, else 422) when not (the API). */
export async function zipToBundle(db: Db, bytes: Buffer): Promise<ZipBundle> {
  const read = await readZipBundle(db, bytes);
  if (!read.ok) throw new InvalidError(read.error, read.issues, { malformed: read.status === 400 });
  return read.zip;
}

/**
 * A file is "the same as here" when it is what this instance's newest version of that slug exports
 * to; a file keeps no section ids, so its draft then becomes that version's draft, and the bundle
 * importer skips it as "already the newest here" instead of adding an identical version.
 */
async function sameAsHere(db: Db, bundle: Bundle): Promise<Bundle> {
  const existing = await db.prompt.findMany({
    where: { slug: { in: bundle.prompts.map((p) => p.slug) } },
    select: { id: true, slug: true, headVersion: true },
  });
  const bySlug = new Map(existing.map((p) => [p.slug, p]));
  for (const p of bundle.prompts) {
    const target = bySlug.get(p.slug);
    if (!target) continue;
    const head = await db.promptVersion.findUnique({
      where: { promptId_number: { promptId: target.id, number: target.headVersion } },
      include: versionInclude,
    });
    if (!head) continue;
    const draft = versionToDraft(head);
    const version = p.versions[0]!;
    if (toDotpromptSource(draft) === toDotpromptSource(version)) {
      version.sections = draft.sections;
      version.variables = draft.variables;
      version.modelSettings = draft.modelSettings;
    }
  }
  return bundle;
}

/** `importBundle` with the problems' paths pointing at zip entries. */
export async function importZipBundle(db: Db, zip: ZipBundle, options: ImportOptions) {
  try {
    return withLabelsLeft(await importBundle(db, zip.bundle, options), zip);
  } catch (error) {
    if (error instanceof InvalidError && !error.malformed)
      throw new InvalidError(
        error.message.replace("the bundle has", "the zip has"),
        zipIssuePaths(error.issues, zip.sources),
      );
    throw error;
  }
}

/** The import page's preview of a zip, with zip paths. */
export async function previewZipImport(db: Db, zip: ZipBundle, policy: ClashPolicy) {
  const { report, issues } = await previewImport(db, zip.bundle, policy);
  return { report: withLabelsLeft(report, zip), issues: zipIssuePaths(issues, zip.sources) };
}

/** The report, with the manifest's labels that stay behind (labels move only through the label rules). */
function withLabelsLeft(report: ImportReport, zip: ZipBundle): ImportReport {
  if (!zip.labelsLeft.length) return report;
  // Under the rename policy a prompt may land under another slug: name the one it has here.
  const renamed = new Map(report.renamed.map((r) => [r.from, r.to]));
  return {
    ...report,
    labelsNotMoved: zip.labelsLeft.map((l) => ({ ...l, prompt: renamed.get(l.prompt) ?? l.prompt })),
  };
}
