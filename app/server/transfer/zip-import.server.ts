/**
 * A `.prompt` zip into this instance (decision 129): the entries read defensively
 * (./zip-entries.server.ts), converted to a bundle (app/transfer/prompt-zip-import.ts), then the
 * bundle importer's own plan and transaction — so clash policies, snippet cycles, dry runs and the
 * audit event are the bundle import's. Every problem's path names the zip entry it is about.
 */
import type { Db } from "~/server/db.server";
import { InvalidError } from "~/prompt/errors";
import { problemOf, problemResponse } from "~/server/http/problem.server";
import { currentSnippets } from "~/models/snippet-pins.server";
import { importBundle, previewImport, type ClashPolicy, type ImportOptions } from "~/models/bundle-import.server";
import type { Bundle } from "~/transfer/bundle";
import { promptZipToBundle, zipIssuePaths } from "~/transfer/prompt-zip-import";
import { readZipEntries } from "./zip-entries.server";

export type ZipBundle = { bundle: Bundle; sources: { prompts: string[]; snippets: string[] } };

/** The zip's bytes → a checked bundle, or throws the 400/422 problem Response. */
export async function zipToBundle(db: Db, bytes: Buffer): Promise<ZipBundle> {
  const read = readZipEntries(bytes);
  if (!read.ok) throw problemResponse(problemOf(read.status, read.error, read.issues));
  const here = new Map(
    [...(await currentSnippets(db))].map(([name, s]) => [name, { number: s.snippetNumber, template: s.template }]),
  );
  const result = await promptZipToBundle(read.files, here, new Date().toISOString());
  if (!result.ok) throw problemResponse(problemOf(result.status, result.error, result.issues));
  return { bundle: result.bundle, sources: result.sources! };
}

/** `importBundle` with the problems' paths pointing at zip entries. */
export async function importZipBundle(db: Db, zip: ZipBundle, options: ImportOptions) {
  try {
    return await importBundle(db, zip.bundle, options);
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
  return { report, issues: zipIssuePaths(issues, zip.sources) };
}
