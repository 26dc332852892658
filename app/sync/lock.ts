/**
 * The git-sync lock file (`prompt-builder.lock.json`, docs/git-sync.md): which instance and folder a
 * directory was pulled from and, per file, what it is on the instance (a prompt's slug or a
 * snippet's name), the version it came from and the sha256 of the file as last pulled or pushed.
 * A file whose sha256 differs has local edits; an instance whose version differs has moved on. Pure.
 */
import { createHash } from "node:crypto";
import { z } from "zod";
import { isSafeRelativePath } from "./paths";

export const LOCK_FILE = "prompt-builder.lock.json";
export const LOCK_FORMAT_VERSION = 1;

const sha256Schema = z.string().regex(/^[0-9a-f]{64}$/, "must be 64 lower-case hex digits");
const versionSchema = z.number().int().min(1);

export const lockEntrySchema = z.discriminatedUnion("kind", [
  z.strictObject({ kind: z.literal("prompt"), slug: z.string().min(1), version: versionSchema, sha256: sha256Schema }),
  z.strictObject({ kind: z.literal("snippet"), name: z.string().min(1), version: versionSchema, sha256: sha256Schema }),
]);
export type LockEntry = z.infer<typeof lockEntrySchema>;

export const lockSchema = z.strictObject({
  formatVersion: z.literal(LOCK_FORMAT_VERSION),
  /** The instance it was pulled from (informational: --url decides where requests go). */
  instance: z.string(),
  /** The folder pulled ("" = the whole library); files are relative to it. */
  folder: z.string(),
  /** Paths stay inside the directory: a lock edited to name "../x" must not make pull remove it. */
  files: z.record(
    z.string().refine(isSafeRelativePath, { message: "must be a relative path inside the directory" }),
    lockEntrySchema,
  ),
});
export type Lock = z.infer<typeof lockSchema>;

export class LockError extends Error {
  override name = "LockError";
}

export function emptyLock(instance: string, folder: string): Lock {
  return { formatVersion: LOCK_FORMAT_VERSION, instance, folder, files: {} };
}

/** A lock file's text → the lock; anything else is a LockError naming what is wrong. */
export function parseLock(text: string): Lock {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new LockError(`${LOCK_FILE} is not valid JSON: ${(error as Error).message}`);
  }
  const result = lockSchema.safeParse(json);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const where = issue.path.length ? issue.path.join(".") : "(top)";
    // A refused record key reports "Invalid key in record"; the key's own rule says more.
    const nested =
      "issues" in issue ? (issue.issues as Array<{ message: string }> | undefined)?.[0]?.message : undefined;
    throw new LockError(
      `${LOCK_FILE} is not a lock file this version understands: ${where}: ${nested ?? issue.message}`,
    );
  }
  return result.data;
}

/** The lock as text: keys in a stable order, so a lock that did not change is the same bytes (clean git diffs). */
export function serializeLock(lock: Lock): string {
  const files = Object.fromEntries(
    Object.keys(lock.files)
      .sort()
      .map((path) => {
        const e = lock.files[path]!;
        return [
          path,
          e.kind === "prompt"
            ? { kind: e.kind, slug: e.slug, version: e.version, sha256: e.sha256 }
            : { kind: e.kind, name: e.name, version: e.version, sha256: e.sha256 },
        ];
      }),
  );
  return `${JSON.stringify({ formatVersion: lock.formatVersion, instance: lock.instance, folder: lock.folder, files }, null, 2)}\n`;
}

export function sha256(data: string | Uint8Array): string {
  return createHash("sha256").update(data).digest("hex");
}
