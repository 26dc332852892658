/**
 * Backup runs: written by the backup command when a run ends, read by the backup freshness metric
 * (and anything else that wants to know when the data was last saved off the database).
 */
import type { Db } from "~/server/db.server";

export type BackupRunRecord = {
  startedAt: Date;
  finishedAt: Date;
  ok: boolean;
  kind: "sqlite" | "postgres";
  /** Size of the backup file in bytes; omitted when the run failed before writing it. */
  bytes?: number;
  /** File name of the backup in BACKUP_DIR. */
  location: string;
  error?: string;
};

export async function recordBackupRun(db: Db, run: BackupRunRecord) {
  return db.backupRun.create({
    data: {
      startedAt: run.startedAt,
      finishedAt: run.finishedAt,
      ok: run.ok,
      kind: run.kind,
      bytes: run.bytes === undefined ? null : BigInt(run.bytes),
      location: run.location,
      error: run.error ?? null,
    },
    select: { id: true },
  });
}

/** When the newest successful backup finished, or undefined when none has. */
export async function lastSuccessfulBackupAt(db: Db): Promise<Date | undefined> {
  const run = await db.backupRun.findFirst({
    where: { ok: true },
    orderBy: { finishedAt: "desc" },
    select: { finishedAt: true },
  });
  return run?.finishedAt;
}
