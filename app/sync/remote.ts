/**
 * The instance's side of git sync, read from `GET /api/v1/export.zip` (app/library/prompt-zip.ts):
 * every file with what it is (prompt slug or snippet name), its version and its exact text. The
 * zip is checked before it is trusted: a manifest this client understands, paths that stay inside
 * the directory, entry count and size limits. Pure.
 */
import { strFromU8, unzipSync } from "fflate";
import { z } from "zod";
import { isSafeRelativePath, keyOf } from "./paths";

export const MANIFEST = "prompt-builder.json";
/** At most this many entries and bytes unpacked from one export (the server holds at most 2,000 prompts). */
export const MAX_REMOTE_ENTRIES = 10_000;
export const MAX_REMOTE_BYTES = 512 * 1024 * 1024;

export type RemoteFile = {
  path: string;
  kind: "prompt" | "snippet";
  /** The slug or the snippet name. */
  id: string;
  key: string;
  version: number;
  text: string;
  labels: Record<string, number>;
};
export type Remote = { folder: string; byKey: Map<string, RemoteFile> };

const manifestSchema = z.object({
  formatVersion: z.literal(1),
  folder: z.string(),
  prompts: z.record(
    z.string(),
    z.object({ slug: z.string(), version: z.number().int().min(1), labels: z.record(z.string(), z.number()) }),
  ),
  snippets: z.record(z.string(), z.object({ name: z.string(), version: z.number().int().min(1) })),
});

export class RemoteError extends Error {
  override name = "RemoteError";
}

/** The export zip's bytes → the instance's files by key ("prompt:slug", "snippet:name"). */
export function remoteFromZip(zip: Uint8Array): Remote {
  let entries: Record<string, Uint8Array>;
  let count = 0;
  let total = 0;
  try {
    entries = unzipSync(zip, {
      filter: (file) => {
        count += 1;
        total += file.originalSize;
        if (count > MAX_REMOTE_ENTRIES) throw new RemoteError(`the export has more than ${MAX_REMOTE_ENTRIES} files`);
        if (total > MAX_REMOTE_BYTES) throw new RemoteError("the export unpacks to more than 512 MB");
        return true;
      },
    });
  } catch (error) {
    if (error instanceof RemoteError) throw error;
    throw new RemoteError(`the instance's export is not a readable zip (${(error as Error).message})`);
  }
  const manifestBytes = entries[MANIFEST];
  if (!manifestBytes)
    throw new RemoteError(`the instance's export has no ${MANIFEST}: is this a Prompt Builder instance?`);
  let json: unknown;
  try {
    json = JSON.parse(strFromU8(manifestBytes));
  } catch {
    throw new RemoteError(`${MANIFEST} in the export is not JSON`);
  }
  const parsed = manifestSchema.safeParse(json);
  if (!parsed.success)
    throw new RemoteError(
      `${MANIFEST} in the export is not a format this client understands (${parsed.error.issues[0]!.path.join(".")}: ${parsed.error.issues[0]!.message}); update the client`,
    );
  const manifest = parsed.data;
  const byKey = new Map<string, RemoteFile>();
  const add = (path: string, kind: RemoteFile["kind"], id: string, version: number, labels: Record<string, number>) => {
    if (!isSafeRelativePath(path))
      throw new RemoteError(`the export names a path outside the directory: ${JSON.stringify(path)}`);
    const bytes = entries[path];
    if (!bytes) throw new RemoteError(`the export's manifest names ${path}, which is not in the zip`);
    const key = keyOf(kind === "prompt" ? { kind, slug: id } : { kind, name: id });
    byKey.set(key, { path, kind, id, key, version, text: strFromU8(bytes), labels });
  };
  for (const [path, p] of Object.entries(manifest.prompts)) add(path, "prompt", p.slug, p.version, p.labels);
  for (const [path, s] of Object.entries(manifest.snippets)) add(path, "snippet", s.name, s.version, {});
  return { folder: manifest.folder, byKey };
}
