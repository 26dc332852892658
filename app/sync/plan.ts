/**
 * What `pull` and `push` do with each file's status (docs/git-sync.md). Pull brings the instance's
 * changes in and never overwrites an edit that is not pushed (unless forced); push sends local
 * edits and new files and never overwrites a change made on the instance. Pure.
 */
import type { Lock, LockEntry } from "./lock";
import { sha256 } from "./lock";
import type { FileStatus } from "./status";

export type PullStep =
  | { op: "write"; path: string; text: string; entry: LockEntry; removeFrom?: string }
  | { op: "remove"; path: string; lockPath: string }
  | { op: "forget"; lockPath: string };
export type PullRefusal = { path: string; reason: string };

export function entryOf(remote: NonNullable<FileStatus["remote"]>): LockEntry {
  const sha = sha256(remote.text);
  return remote.kind === "prompt"
    ? { kind: "prompt", slug: remote.id, version: remote.version, sha256: sha }
    : { kind: "snippet", name: remote.id, version: remote.version, sha256: sha };
}

/** The steps of a pull, or the files it refuses to overwrite (then nothing is written unless forced). */
export function pullPlan(
  statuses: readonly FileStatus[],
  force: boolean,
): { steps: PullStep[]; refused: PullRefusal[] } {
  const steps: PullStep[] = [];
  const refused: PullRefusal[] = [];
  const write = (s: FileStatus) => {
    const r = s.remote!;
    steps.push({
      op: "write",
      path: r.path,
      text: r.text,
      entry: entryOf(r),
      ...(s.lock && r.path !== s.path ? { removeFrom: s.path } : {}),
    });
  };
  for (const s of statuses) {
    switch (s.state) {
      case "unchanged":
        // In sync but missing from the lock (a lost lock): record it.
        if (!s.lock && s.remote)
          steps.push({ op: "write", path: s.path, text: s.remote.text, entry: entryOf(s.remote) });
        break;
      case "changed-remote":
      case "new-remote":
        write(s);
        break;
      case "conflict":
        if (force) write(s);
        else
          refused.push({
            path: s.path,
            reason:
              s.problem ??
              `edited locally and changed on the instance (version ${s.lock?.version} → ${s.remote?.version})`,
          });
        break;
      case "deleted-local":
        // Deleting the file is the local change; pull keeps it deleted unless forced or the instance changed it.
        if (force || s.remote!.version !== s.lock!.version || s.movedTo) write(s);
        break;
      case "gone-remote":
        if (s.localModified && !force)
          refused.push({
            path: s.path,
            reason: "edited locally, and the prompt is no longer on the instance (trashed)",
          });
        else steps.push({ op: "remove", path: s.path, lockPath: s.path });
        break;
      case "modified":
      case "new-local":
        break;
    }
  }
  return { steps: force ? steps : refused.length ? [] : steps, refused: force ? [] : refused };
}

/** The lock after a pull's steps. */
export function applyPull(lock: Lock, steps: readonly PullStep[]): Lock {
  const files = { ...lock.files };
  for (const step of steps) {
    if (step.op === "write") {
      if (step.removeFrom) delete files[step.removeFrom];
      files[step.path] = step.entry;
    } else delete files[step.lockPath];
  }
  return { ...lock, files };
}

export type PushStep =
  | { op: "version"; path: string; kind: "prompt" | "snippet"; id: string; baseVersion: number }
  | { op: "create"; path: string; kind: "prompt" | "snippet"; id: string };
export type PushSkip = { path: string; reason: string; conflict?: FileStatus };

/** What push sends, and what it leaves (with why); a conflict carries its status for the diff. */
export function pushPlan(statuses: readonly FileStatus[]): { steps: PushStep[]; skipped: PushSkip[] } {
  const steps: PushStep[] = [];
  const skipped: PushSkip[] = [];
  for (const s of statuses) {
    switch (s.state) {
      case "modified":
        steps.push({ op: "version", path: s.path, kind: s.lock!.kind, id: s.id, baseVersion: s.lock!.version });
        break;
      case "new-local":
        if (s.kind === "invalid" || s.problem) skipped.push({ path: s.path, reason: s.problem ?? "cannot be pushed" });
        else steps.push({ op: "create", path: s.path, kind: s.kind, id: s.id });
        break;
      case "conflict":
        skipped.push({
          path: s.path,
          reason:
            s.problem ??
            `the instance has version ${s.remote!.version}${s.movedTo ? ` (now at ${s.movedTo})` : ""}, newer than version ${s.lock!.version} this file was based on: pull (or merge by hand), then push`,
          conflict: s,
        });
        break;
      case "gone-remote":
        if (s.localModified)
          skipped.push({
            path: s.path,
            reason: "no longer on the instance (trashed): restore it there, or delete the file and pull",
          });
        break;
      case "deleted-local":
        skipped.push({
          path: s.path,
          reason:
            "deleted locally: push never trashes prompts; trash it on the instance, or pull --force to get the file back",
        });
        break;
      case "changed-remote":
      case "new-remote":
      case "unchanged":
        break;
    }
  }
  return { steps, skipped };
}
