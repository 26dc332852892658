/**
 * Server errors to Sentry, through the official Node SDK, when `SENTRY_DSN` is set. Without a DSN
 * the SDK is never imported (no memory, no start-up cost). What reaches Sentry is built here and
 * scrubbed: the request is reduced to its method and path (no query, headers, cookies or body),
 * breadcrumbs and local variables are off, and any text that looks like a credential is redacted
 * (decision 071).
 */
import type { ErrorEvent } from "@sentry/node";
import { logger } from "../logger.server";
import { processGlobal } from "../process-global.server";
import { redactSecrets } from "./redact";

type Reporter = {
  capture: (error: unknown, context: ErrorContext) => void;
  flush: (timeoutMs: number) => Promise<boolean>;
};
export type ErrorContext = { method?: string; path?: string; requestId?: string; status?: number };

const state = processGlobal("error-reporting", () => ({ reporter: null as Promise<Reporter> | null }));

/** Keeps only what an error report needs; everything that can carry a user's data goes. */
export function scrubEvent(event: ErrorEvent): ErrorEvent {
  const scrubbed: ErrorEvent = { ...event };
  if (event.request) {
    scrubbed.request = {
      method: event.request.method,
      url: event.request.url ? redactSecrets(event.request.url.split("?")[0]!) : undefined,
    };
  }
  delete scrubbed.breadcrumbs;
  delete scrubbed.user;
  delete scrubbed.extra;
  if (scrubbed.exception?.values) {
    scrubbed.exception = {
      ...scrubbed.exception,
      values: scrubbed.exception.values.map((v) => ({
        ...v,
        value: v.value === undefined ? undefined : redactSecrets(v.value),
        stacktrace: v.stacktrace && {
          ...v.stacktrace,
          frames: v.stacktrace.frames?.map(({ vars: _vars, ...frame }) => frame),
        },
      })),
    };
  }
  if (scrubbed.message) scrubbed.message = redactSecrets(scrubbed.message);
  return scrubbed;
}

async function createReporter(dsn: string, release: string): Promise<Reporter> {
  const Sentry = await import("@sentry/node");
  Sentry.init({
    dsn,
    release,
    environment: process.env.NODE_ENV ?? "production",
    dataCollection: { userInfo: false, cookies: false, httpHeaders: false, httpBodies: [], urlQueryParams: false },
    // Only what reporting errors needs: no automatic HTTP/fetch/console instrumentation (they would
    // record URLs with queries, headers and bodies), no tracing, no OpenTelemetry provider.
    defaultIntegrations: false,
    integrations: [Sentry.linkedErrorsIntegration(), Sentry.dedupeIntegration()],
    enableOpenTelemetrySetup: false,
    enableRuntimeChannelInjection: false,
    includeLocalVariables: false,
    maxBreadcrumbs: 0,
    beforeSend: (event) => scrubEvent(event),
  });
  return {
    capture: (error, context) => {
      Sentry.withScope((scope) => {
        if (context.method || context.path) scope.setContext("request", { method: context.method, path: context.path });
        if (context.requestId) scope.setTag("request_id", context.requestId);
        if (context.status) scope.setTag("status", String(context.status));
        Sentry.captureException(error);
      });
    },
    flush: (timeoutMs) => Sentry.flush(timeoutMs),
  };
}

/** Starts reporting if a DSN is configured; returns whether it is on. */
export function startErrorReporting(options: { dsn?: string; release: string }): boolean {
  if (!options.dsn) {
    logger.info("error reporting off (no SENTRY_DSN)");
    return false;
  }
  if (!state.reporter) {
    state.reporter = createReporter(options.dsn, options.release);
    state.reporter.then(
      () => logger.info("error reporting on (Sentry)"),
      (err: unknown) => logger.error("error reporting could not start", { err }),
    );
  }
  return true;
}

/** Sends a server error to Sentry when reporting is on; does nothing otherwise. */
export function reportError(error: unknown, context: ErrorContext = {}) {
  state.reporter?.then(
    (r) => r.capture(error, context),
    () => {},
  );
}

/** Waits for queued reports to be sent (at shutdown). */
export async function flushErrorReports(timeoutMs: number) {
  if (!state.reporter) return;
  try {
    await (await state.reporter).flush(timeoutMs);
  } catch {
    /* reporting failed to start: nothing to flush */
  }
}
