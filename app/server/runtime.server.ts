/**
 * Start-up of the server build, run once when remix-serve imports it: validate configuration,
 * install request instrumentation (metrics, access log) and the backup-age metric, start the
 * metrics listener, and shut down gracefully on SIGTERM (drain, then disconnect).
 */
import { createRequire } from "node:module";
import v8 from "node:v8";
import { getEnv, type Env } from "./env.server";
import { logger } from "./logger.server";
import { installHttpInstrumentation, listPublicFiles } from "./observability/http-instrumentation.server";
import { appInfo, startMetricsServer } from "./observability/metrics.server";
import { installBackupMetric } from "./observability/backup-metric.server";
import { lastSuccessfulBackupAt } from "~/models/backup-runs.server";
import { startEvalWorker } from "~/models/eval-worker.server";
import { createRouteLabeler, type RouteLabeler, type RouteManifestEntry } from "./observability/route-label";
import { closeRawReader, getDb } from "./db.server";
import { installGracefulShutdown } from "./shutdown.server";
import { flushRenderCounts, installRenderCountFlush } from "./render-counts.server";
import { closeRenderPool } from "./render-pool/render-pool.server";
import { processGlobal } from "./process-global.server";
import { flushErrorReports, startErrorReporting } from "./observability/error-reporting.server";
import { configureRateLimits, setRateLimitIdentity, type Identity } from "./rate-limit/rate-limit.server";
import { sha256 } from "./auth/secrets.server";

/**
 * Requests with an API token are limited per token, not per address (programs behind one NAT, or
 * one program with several tokens). The key is the token's hash, without a database lookup: a
 * token that is not valid gets 401 from the route's guard, and wrong tokens are limited per
 * address there (decision 102), so a made-up token buys no work.
 */
function bearerIdentity(req: { headers: Record<string, string | string[] | undefined> }): Identity {
  const header = req.headers.authorization;
  const match = typeof header === "string" ? /^Bearer\s+(\S{1,512})$/i.exec(header) : null;
  return match ? { tokenId: sha256(match[1]!).slice(0, 32) } : undefined;
}

/**
 * remix-serve logs each request as a plain-text morgan "tiny" line. It builds that middleware after
 * importing the server build, from the same cached morgan module: redefining the "tiny" format to
 * return nothing makes morgan skip the line (morgan writes nothing for a null line). Our JSON access
 * line replaces it (docs/decisions/062-json-access-log.md).
 */
function silenceRemixServeAccessLog() {
  const cli = process.argv[1];
  if (!cli || !/remix-serve|@remix-run[\\/]serve/.test(cli)) return;
  try {
    const morgan = createRequire(cli)("morgan") as { format: (name: string, fmt: () => null) => void };
    morgan.format("tiny", () => null);
  } catch (err) {
    logger.warn("could not switch off remix-serve's text access log", { err });
  }
}

/**
 * V8 lets the old generation grow to up to four times what survived the last full GC before it
 * collects again: under the mixed soak that was 130 MB of heap for 45 MB alive, and RSS followed
 * it past 300 MB. A growing factor of 1.5 keeps the heap near 65 MB at the cost of more frequent
 * (mostly concurrent) full GCs of a small heap. NODE_OPTIONS does not accept this flag, and V8
 * reads it at every GC, so it is set here, before the first request
 * (docs/decisions/087-memory-under-load.md). Worker threads started later share it.
 */
export const HEAP_GROWING_PERCENT = 50;

function limitHeapGrowth() {
  v8.setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}

export function startServerRuntime(buildUrl: string): Env {
  const env = getEnv();
  let labeler: RouteLabeler | undefined;
  // The server build is one module: importing our own URL gives its `routes` manifest, the same
  // table Remix matches against, so metrics carry Remix route ids.
  void import(/* @vite-ignore */ buildUrl)
    .then((build: { routes?: Record<string, RouteManifestEntry>; publicPath?: string }) => {
      const publicFiles = listPublicFiles();
      labeler = createRouteLabeler(build.routes ?? {}, {
        assetsPrefix: build.publicPath ?? "/build/",
        isPublicFile: (p) => publicFiles.has(p),
      });
    })
    .catch((err) => logger.error("route table unavailable for metrics", { err }));
  installHttpInstrumentation(() => labeler, {
    body: { form: env.BODY_LIMIT_FORM_BYTES, json: env.BODY_LIMIT_JSON_BYTES, other: env.BODY_LIMIT_DEFAULT_BYTES },
    server: {
      headersTimeoutMs: env.HTTP_HEADERS_TIMEOUT_MS,
      requestTimeoutMs: env.HTTP_REQUEST_TIMEOUT_MS,
      keepAliveTimeoutMs: env.HTTP_KEEP_ALIVE_TIMEOUT_MS,
      maxRequestsPerSocket: env.HTTP_MAX_REQUESTS_PER_SOCKET,
    },
  });
  configureRateLimits(
    {
      render: env.RATE_LIMIT_RENDER_PER_MINUTE,
      write: env.RATE_LIMIT_WRITES_PER_MINUTE,
      save: env.RATE_LIMIT_SAVES_PER_MINUTE,
      login: env.RATE_LIMIT_LOGINS_PER_MINUTE,
    },
    env.TRUST_PROXY,
  );
  setRateLimitIdentity(bearerIdentity);

  const runtime = processGlobal("runtime", () => ({ started: false }));
  if (runtime.started) return env;
  runtime.started = true;

  silenceRemixServeAccessLog();
  startErrorReporting({ dsn: env.SENTRY_DSN, release: env.APP_VERSION });
  limitHeapGrowth();
  appInfo.set({ version: env.APP_VERSION }, 1);
  installBackupMetric(() => lastSuccessfulBackupAt(getDb()));
  installRenderCountFlush(getDb);
  let metricsServer: { close: (cb: () => void) => void; closeAllConnections: () => void } | undefined;
  startMetricsServer(env.METRICS_PORT)
    .then((server) => {
      logger.info("metrics listening", { port: env.METRICS_PORT, path: "/metrics" });
      metricsServer = server;
    })
    .catch((err: NodeJS.ErrnoException) => {
      process.stderr.write(`Cannot serve metrics on METRICS_PORT ${env.METRICS_PORT}: ${err.code ?? err.message}\n`);
      process.exit(1);
    });
  // Evaluation runs execute in the background of every process, from the job table (decision 115).
  const evalWorker = startEvalWorker(getDb(), env);
  installGracefulShutdown({
    timeoutMs: env.SHUTDOWN_TIMEOUT_MS,
    close: [
      // Everything that still talks to the database shares one step, so one closeTimeoutMs (2 s)
      // bounds it even when the database hangs: hand running evaluation cases back and write the
      // render counts (together), then close the reader and disconnect.
      async () => {
        await Promise.all([evalWorker.stop(), flushRenderCounts(getDb()), flushErrorReports(1000)]);
        await closeRawReader(getDb());
        await getDb().$disconnect();
      },
      () => closeRenderPool(),
      () =>
        new Promise<void>((resolve) => {
          if (!metricsServer) return resolve();
          metricsServer.close(() => resolve());
          metricsServer.closeAllConnections();
        }),
    ],
  });
  logger.info("server build loaded", { version: env.APP_VERSION, nodeEnv: env.NODE_ENV, port: env.PORT });
  return env;
}
