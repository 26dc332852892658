/**
 * Graceful shutdown under remix-serve. On SIGTERM remix-serve closes its listener (new connections
 * are refused; Node also closes idle keep-alive sockets). This module does the rest: requests already
 * running finish up to SHUTDOWN_TIMEOUT_MS, each answered with `Connection: close` so busy keep-alive
 * sockets end with their response, then the remaining connections are cut, the database is
 * disconnected (never before: in-flight queries would fail), and the process exits.
 * The HTTP instrumentation reports each request here (docs/decisions/061-graceful-shutdown.md).
 */
import type http from "node:http";
import { logger } from "./logger.server";
import { processGlobal } from "./process-global.server";

type State = {
  servers: Set<http.Server>;
  inFlight: Set<http.ServerResponse>;
  shuttingDown: boolean;
  onIdle?: () => void;
  /** Ended as the shutdown starts: responses that never end on their own (event streams). */
  endless: Set<() => void>;
};

const state = processGlobal("shutdown", (): State => ({
  servers: new Set(),
  inFlight: new Set(),
  shuttingDown: false,
  endless: new Set(),
}));

export const isShuttingDown = () => state.shuttingDown;

/**
 * Registers how to end a response that would otherwise hold the drain until its deadline (a
 * long-lived event stream): called once when the shutdown starts. Returns the unregister function.
 */
export function endOnShutdown(end: () => void): () => void {
  state.endless.add(end);
  return () => state.endless.delete(end);
}

/** Called for every request of the app's server (not the metrics listener). */
export function trackRequest(server: http.Server, res: http.ServerResponse) {
  state.servers.add(server);
  state.inFlight.add(res);
  if (state.shuttingDown) res.shouldKeepAlive = false;
  res.once("close", () => {
    state.inFlight.delete(res);
    if (state.shuttingDown) server.closeIdleConnections();
    if (state.inFlight.size === 0) state.onIdle?.();
  });
}

/** While shutting down, responses close their connection instead of keeping it alive. */
export function beforeWriteHead(res: http.ServerResponse) {
  if (!state.shuttingDown || res.headersSent) return;
  res.shouldKeepAlive = false;
  res.setHeader("Connection", "close");
}

function drained(timeoutMs: number): Promise<boolean> {
  if (state.inFlight.size === 0) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    state.onIdle = () => {
      clearTimeout(timer);
      resolve(true);
    };
  });
}

const capped = (work: Promise<unknown>, ms: number) =>
  Promise.race([work.catch(() => undefined), new Promise((resolve) => setTimeout(resolve, ms).unref())]);

export type ShutdownOptions = {
  timeoutMs: number;
  /** Run after the requests drained, in order, each given at most `closeTimeoutMs`. */
  close: Array<() => Promise<unknown>>;
  closeTimeoutMs?: number;
  exit?: (code: number) => void;
};

export function installGracefulShutdown(options: ShutdownOptions) {
  const { timeoutMs, close, closeTimeoutMs = 2000, exit = (code) => process.exit(code) } = options;
  const shutdown = async (signal: NodeJS.Signals) => {
    if (state.shuttingDown) return;
    state.shuttingDown = true;
    const started = Date.now();
    logger.info("shutdown started", { signal, inFlight: state.inFlight.size, timeoutMs });
    for (const server of state.servers) server.closeIdleConnections();
    for (const end of [...state.endless]) end();
    state.endless.clear();
    if (!(await drained(timeoutMs))) {
      logger.warn("shutdown deadline passed; closing the remaining connections", {
        inFlight: state.inFlight.size,
        timeoutMs,
      });
      for (const server of state.servers) server.closeAllConnections();
    }
    for (const step of close) await capped(step(), closeTimeoutMs);
    logger.info("shutdown finished", { ms: Date.now() - started });
    exit(0);
  };
  process.once("SIGTERM", (s) => void shutdown(s));
  process.once("SIGINT", (s) => void shutdown(s));
}
