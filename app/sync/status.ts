/**
 * What changed on either side since the lock file: per file, one state, from the lock, the local
 * files' sha256 and the instance's export. A file is matched to the instance by what it stands for
 * (prompt slug or snippet name), so a prompt moved to another folder on the instance is a change
 * there, not a deletion and a new file. Pure.
 */
import type { Lock, LockEntry } from "./lock";
import { keyOf, targetOfPath } from "./paths";
import type { Remote, RemoteFile } from "./remote";
import { sha256 } from "./lock";

export type SyncState =
  | "unchanged"
  | "modified"
  | "changed-remote"
  | "conflict"
  | "new-local"
  | "deleted-local"
  | "new-remote"
  | "gone-remote";

export const STATE_TEXT: Record<SyncState, string> = {
  unchanged: "unchanged",
  modified: "modified locally",
  "changed-remote": "changed on the instance",
  conflict: "conflict (both changed)",
  "new-local": "new locally",
  "deleted-local": "deleted locally",
  "new-remote": "new on the instance",
  "gone-remote": "trashed on the instance",
};

export type FileStatus = {
  /** The local path (for new-remote: where pull will write it). */
  path: string;
  state: SyncState;
  kind: "prompt" | "snippet" | "invalid";
  /** Slug or snippet name ("" for an invalid path). */
  id: string;
  lock?: LockEntry;
  remote?: RemoteFile;
  /** For gone-remote: whether the local file has edits too; for new-local: why it cannot be pushed. */
  localModified?: boolean;
  problem?: string;
  /** A change of place on the instance (the folder moved). */
  movedTo?: string;
};

/** local: path → sha256 of the file's bytes, for every `.prompt` file under the directory. */
export function computeStatus(lock: Lock, local: ReadonlyMap<string, string>, remote: Remote): FileStatus[] {
  const out: FileStatus[] = [];
  const claimed = new Set<string>();
  for (const [path, entry] of Object.entries(lock.files)) {
    const id = entry.kind === "prompt" ? entry.slug : entry.name;
    const key = keyOf(entry);
    claimed.add(key);
    const r = remote.byKey.get(key);
    const localSha = local.get(path);
    const localModified = localSha !== undefined && localSha !== entry.sha256;
    const base = { path, kind: entry.kind, id, lock: entry } as const;
    if (!r) {
      out.push({ ...base, state: "gone-remote", localModified });
      continue;
    }
    const moved = r.path !== path ? r.path : undefined;
    const remoteChanged = r.version !== entry.version || moved !== undefined;
    const extra = { remote: r, ...(moved ? { movedTo: moved } : {}) };
    if (localSha === undefined) out.push({ ...base, ...extra, state: "deleted-local" });
    else if (localModified && remoteChanged) out.push({ ...base, ...extra, state: "conflict" });
    else if (localModified) out.push({ ...base, ...extra, state: "modified" });
    else if (remoteChanged) out.push({ ...base, ...extra, state: "changed-remote" });
    else out.push({ ...base, ...extra, state: "unchanged" });
  }
  for (const [path, sha] of local) {
    if (lock.files[path]) continue;
    const target = targetOfPath(path, lock.folder);
    if (target.kind === "invalid") {
      out.push({ path, state: "new-local", kind: "invalid", id: "", problem: target.reason });
      continue;
    }
    const id = target.kind === "prompt" ? target.slug : target.name;
    const key = keyOf(target);
    const r = remote.byKey.get(key);
    if (r && !claimed.has(key)) {
      claimed.add(key);
      // The same file on both sides but not in the lock (a lost lock): the same bytes are simply in sync.
      if (r.path === path && sha256(r.text) === sha) {
        out.push({ path, state: "unchanged", kind: target.kind, id, remote: r });
        continue;
      }
      out.push({
        path,
        state: "conflict",
        kind: target.kind,
        id,
        remote: r,
        problem: `${target.kind === "prompt" ? "a prompt with this slug" : "a snippet with this name"} is on the instance (${r.path}, version ${r.version}) but not in the lock file: pull first`,
      });
      continue;
    }
    if (r) {
      out.push({
        path,
        state: "new-local",
        kind: target.kind,
        id,
        problem: `${r.path} is already ${target.kind === "prompt" ? "the prompt" : "the snippet"} "${id}"`,
      });
      continue;
    }
    out.push({ path, state: "new-local", kind: target.kind, id });
  }
  for (const [key, r] of remote.byKey) {
    if (claimed.has(key)) continue;
    // A local file already at that path that stands for something else keeps its place; status says so.
    out.push({ path: r.path, state: "new-remote", kind: r.kind, id: r.id, remote: r });
  }
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** Whether anything is left to do on either side. */
export function inSync(statuses: readonly FileStatus[]): boolean {
  return statuses.every((s) => s.state === "unchanged");
}
