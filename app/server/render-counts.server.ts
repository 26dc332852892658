/**
 * Renders served per UTC day and source, for the admin's instance facts. The render path only adds
 * one to an in-memory map (O(1), no I/O); the map is added to the RenderDay table every minute and
 * at shutdown, so a replica loses at most the last minute's count if it is killed outright. Each
 * replica adds its own counts (increments, never overwrites), so the table is the instance's total.
 */
import type { Db } from "./db.server";
import { logger } from "./logger.server";
import { processGlobal } from "./process-global.server";

export type RenderSource = "api" | "mcp";
export const FLUSH_EVERY_MS = 60_000;

type State = { pending: Map<string, number>; day: string; dayEndsAt: number; timer?: NodeJS.Timeout };
const state = processGlobal("render-counts", (): State => ({ pending: new Map(), day: "", dayEndsAt: 0 }));

function today(now: number): string {
  if (now >= state.dayEndsAt || now < state.dayEndsAt - 86_400_000) {
    state.day = new Date(now).toISOString().slice(0, 10);
    state.dayEndsAt = Date.parse(`${state.day}T00:00:00Z`) + 86_400_000;
  }
  return state.day;
}

/** One render served (call after it succeeded). */
export function countRender(source: RenderSource, now = Date.now()): void {
  const key = `${today(now)}|${source}`;
  state.pending.set(key, (state.pending.get(key) ?? 0) + 1);
}

/** Counts not yet written to the table, by day and source. */
export function pendingRenderCounts(): Array<{ day: string; source: string; count: number }> {
  return [...state.pending].map(([key, count]) => {
    const [day, source] = key.split("|") as [string, string];
    return { day, source, count };
  });
}

/** Adds the pending counts to the table; on failure they stay pending for the next flush. */
export async function flushRenderCounts(db: Db): Promise<void> {
  if (state.pending.size === 0) return;
  const batch = pendingRenderCounts();
  state.pending.clear();
  try {
    await db.$transaction(
      batch.map(({ day, source, count }) =>
        db.renderDay.upsert({
          where: { day_source: { day, source } },
          create: { day, source, count },
          update: { count: { increment: count } },
        }),
      ),
    );
  } catch (error) {
    for (const { day, source, count } of batch) {
      const key = `${day}|${source}`;
      state.pending.set(key, (state.pending.get(key) ?? 0) + count);
    }
    logger.warn("render counts not saved; retrying at the next flush", { err: error });
  }
}

/** Starts the periodic flush (once per process); the shutdown calls flushRenderCounts itself. */
export function installRenderCountFlush(db: () => Db, everyMs = FLUSH_EVERY_MS): void {
  if (state.timer) return;
  state.timer = setInterval(() => void flushRenderCounts(db()), everyMs);
  state.timer.unref();
}
