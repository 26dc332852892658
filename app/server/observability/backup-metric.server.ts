/**
 * `backup_last_success_timestamp_seconds`: when the newest valid backup in BACKUP_DIR finished (its
 * manifest's finishedAt), read at each scrape. The backup CronJob writes the backups; the app pod
 * mounts the same volume read-only, so Prometheus can alert when backups stop (older than 26 h).
 * No valid backup at all reports 0, which the alert treats as stale.
 */
import client from "prom-client";
import { newestValidBackup } from "../../../scripts/backup/files";
import { onScrape, registry } from "./metrics.server";

export const backupLastSuccessTimestampSeconds = new client.Gauge({
  name: "backup_last_success_timestamp_seconds",
  help: "Unix time at which the newest valid backup in BACKUP_DIR finished; 0 when there is none.",
  registers: [registry],
});

/** Seconds since the epoch of the newest valid backup in `dir`, or 0. */
export function lastBackupSuccessSeconds(dir: string): number {
  const newest = newestValidBackup(dir);
  return newest ? newest.finishedAtMs / 1000 : 0;
}

export function updateBackupMetric(dir: string = process.env.BACKUP_DIR || "./backups") {
  backupLastSuccessTimestampSeconds.set(lastBackupSuccessSeconds(dir));
}

let installed = false;

/**
 * Updates the gauge before every scrape. Called from app/server/runtime.server.ts; an explicit call
 * rather than an import for side effects, which the bundler drops (package.json "sideEffects": false).
 */
export function installBackupMetric() {
  if (installed) return;
  installed = true;
  onScrape(() => updateBackupMetric());
}
