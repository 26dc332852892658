/**
 * `backup_last_success_timestamp_seconds`: when the newest successful backup run finished, from the
 * BackupRun table the backup command writes. Reading the database rather than the backups volume
 * means no app pod mounts that volume (so scaled mode needs no ReadWriteMany storage), and every
 * replica reports the same value. 0 = no successful run known, which the stale-backup alert fires on.
 *
 * Bounded: a scrape reuses a value younger than `ttlMs`, at most one query runs at a time, and a
 * query slower than `timeoutMs` or failing keeps the last value (logged), so a slow or absent
 * database never slows or fails /metrics.
 */
import client from "prom-client";
import { logger as defaultLogger, type Logger } from "../logger.server";
import { onScrape, registry } from "./metrics.server";

export const backupLastSuccessTimestampSeconds = new client.Gauge({
  name: "backup_last_success_timestamp_seconds",
  help: "Unix time at which the newest successful backup run (BackupRun table) finished; 0 when there is none.",
  registers: [registry],
});

export type BackupMetricOptions = { ttlMs?: number; timeoutMs?: number; now?: () => number; logger?: Logger };

/** Seconds since the epoch of the newest successful backup run, read at most once per `ttlMs`. */
export function createBackupAgeReader(
  lastSuccess: () => Promise<Date | null | undefined>,
  options: BackupMetricOptions = {},
) {
  const { ttlMs = 5_000, timeoutMs = 2_000, now = Date.now, logger = defaultLogger } = options;
  let value = 0;
  let readAt = -Infinity;
  let inFlight: Promise<number> | undefined;

  const query = async (): Promise<number> => {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      const at = await Promise.race([lastSuccess(), timeout]);
      value = at ? at.getTime() / 1000 : 0;
    } catch (err) {
      logger.warn("backup metric: cannot read the last backup run; keeping the previous value", { err, value });
    } finally {
      clearTimeout(timer);
      // Also after a failure: a database that is down is asked again after ttlMs, not on every scrape.
      readAt = now();
      inFlight = undefined;
    }
    return value;
  };

  return async function read(): Promise<number> {
    if (now() - readAt < ttlMs) return value;
    inFlight ??= query();
    return inFlight;
  };
}

let installed = false;

/**
 * Updates the gauge before every scrape. Called from app/server/runtime.server.ts with the
 * repository's reader (infrastructure does not import repositories); an explicit call
 * rather than an import for side effects, which the bundler drops (package.json "sideEffects": false).
 */
export function installBackupMetric(lastSuccess: () => Promise<Date | null | undefined>) {
  if (installed) return;
  installed = true;
  const read = createBackupAgeReader(lastSuccess);
  onScrape(async () => {
    backupLastSuccessTimestampSeconds.set(await read());
  });
}
