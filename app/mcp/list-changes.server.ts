/**
 * `notifications/prompts/list_changed` for MCP clients that keep an event stream open (GET /mcp).
 * While at least one stream is open, the process compares the prompt list's fingerprint
 * (app/models/prompt-list-state.server.ts) every POLL_MS and tells every open stream when it moved.
 * Reading the database, not an in-process event, is what makes a change made through another
 * replica (or a CLI command) reach this replica's clients: the bound is POLL_MS plus one query.
 * No stream open, no polling.
 */
import { promptListFingerprint } from "~/models/prompt-list-state.server";
import type { Db } from "~/server/db.server";
import { logger } from "~/server/logger.server";
import { mcpEventStreams } from "~/server/observability/metrics.server";
import { processGlobal } from "~/server/process-global.server";

export const POLL_MS = 1000;

type Watchers = {
  listeners: Set<() => void>;
  timer: NodeJS.Timeout | null;
  last: string | null;
  polling: boolean;
};

const watchers = processGlobal("mcp-list-changes", (): Watchers => ({
  listeners: new Set(),
  timer: null,
  last: null,
  polling: false,
}));

async function poll(db: Db) {
  if (watchers.polling) return;
  watchers.polling = true;
  try {
    const now = await promptListFingerprint(db);
    const changed = watchers.last !== null && now !== watchers.last;
    watchers.last = now;
    if (changed) for (const listener of [...watchers.listeners]) listener();
  } catch (error) {
    // The database is down for a moment: try again on the next tick, streams stay open.
    logger.warn("mcp list-change poll failed", { error: error instanceof Error ? error.message : String(error) });
  } finally {
    watchers.polling = false;
  }
}

export const openStreams = () => watchers.listeners.size;

/**
 * Calls `listener` whenever the prompt list changes, until the returned function is called. The
 * first watcher takes the fingerprint to compare against, so a change is never reported twice and
 * never missed between two polls.
 */
export async function watchPromptList(db: Db, listener: () => void): Promise<() => void> {
  if (watchers.listeners.size === 0) {
    watchers.last = null;
    await poll(db);
  }
  watchers.listeners.add(listener);
  mcpEventStreams.set(watchers.listeners.size);
  watchers.timer ??= setInterval(() => void poll(db), POLL_MS).unref();
  return () => {
    watchers.listeners.delete(listener);
    mcpEventStreams.set(watchers.listeners.size);
    if (watchers.listeners.size === 0 && watchers.timer) {
      clearInterval(watchers.timer);
      watchers.timer = null;
    }
  };
}
