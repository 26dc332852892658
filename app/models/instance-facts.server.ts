/**
 * Facts about the instance for /admin: what it holds, how much it serves, where its data is and
 * whether it is backed up.
 */
import fs from "node:fs";
import type { Db } from "~/server/db.server";
import { parseDatabaseUrl } from "~/server/db/database-url";
import { pendingRenderCounts } from "~/server/render-counts.server";

export const RENDER_DAYS = 14;

export type RenderDayRow = { day: string; api: number; mcp: number };

function fileSize(file: string): number {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
  }
}

/** The database's size in bytes: the SQLite file with its WAL, or pg_database_size. */
async function databaseBytes(db: Db, kind: "sqlite" | "postgres", file: string | null): Promise<number | null> {
  if (kind === "sqlite") return file && file !== ":memory:" ? fileSize(file) + fileSize(`${file}-wal`) : null;
  const rows = await db.$queryRawUnsafe<Array<{ size: bigint | number | string }>>(
    "SELECT pg_database_size(current_database()) AS size",
  );
  return rows[0] ? Number(rows[0].size) : null;
}

/** The last `days` UTC days (today first), with this process's not yet saved counts added. */
export async function rendersPerDay(db: Db, now = new Date(), days = RENDER_DAYS): Promise<RenderDayRow[]> {
  const list: RenderDayRow[] = [];
  for (let i = 0; i < days; i++) {
    list.push({ day: new Date(now.getTime() - i * 86_400_000).toISOString().slice(0, 10), api: 0, mcp: 0 });
  }
  const byDay = new Map(list.map((r) => [r.day, r]));
  const stored = await db.renderDay.findMany({ where: { day: { gte: list[list.length - 1]!.day } } });
  for (const { day, source, count } of [...stored, ...pendingRenderCounts()]) {
    const row = byDay.get(day);
    if (row && (source === "api" || source === "mcp")) row[source] += count;
  }
  return list;
}

export async function instanceFacts(db: Db, env: { DATABASE_URL: string; APP_VERSION: string }, now = new Date()) {
  const target = parseDatabaseUrl(env.DATABASE_URL);
  const [prompts, trashed, versions, snippets, users, renders, lastBackup, lastRun, bytes] = await Promise.all([
    db.prompt.count({ where: { deletedAt: null } }),
    db.prompt.count({ where: { NOT: { deletedAt: null } } }),
    db.promptVersion.count(),
    db.snippet.count({ where: { deletedAt: null } }),
    db.user.count(),
    rendersPerDay(db, now),
    db.backupRun.findFirst({
      where: { ok: true },
      orderBy: { finishedAt: "desc" },
      select: { finishedAt: true, bytes: true, location: true },
    }),
    db.backupRun.findFirst({ orderBy: { finishedAt: "desc" }, select: { finishedAt: true, ok: true, error: true } }),
    databaseBytes(db, target.kind, target.kind === "sqlite" ? target.file : null),
  ]);
  return {
    appVersion: env.APP_VERSION,
    prompts,
    trashed,
    versions,
    snippets,
    users,
    renders,
    database: { kind: target.kind, bytes },
    lastBackup: lastBackup
      ? {
          finishedAt: lastBackup.finishedAt.toISOString(),
          ageHours: Math.max(0, Math.floor((now.getTime() - lastBackup.finishedAt.getTime()) / 3_600_000)),
          bytes: lastBackup.bytes === null ? null : Number(lastBackup.bytes),
          location: lastBackup.location,
        }
      : null,
    lastRunFailed:
      lastRun && !lastRun.ok ? { finishedAt: lastRun.finishedAt.toISOString(), error: lastRun.error } : null,
  };
}
