/**
 * Start-up of the server build, run once when remix-serve imports it: validate configuration,
 * install request instrumentation and the backup-age metric, start the metrics listener and close
 * it on shutdown.
 */
import { getEnv, type Env } from "./env.server";
import { logger } from "./logger.server";
import { installHttpInstrumentation, listPublicFiles } from "./observability/http-instrumentation.server";
import { appInfo, startMetricsServer } from "./observability/metrics.server";
import { installBackupMetric } from "./observability/backup-metric.server";
import { createRouteLabeler, type RouteLabeler, type RouteManifestEntry } from "./observability/route-label";
import { getDb } from "./db.server";

const STARTED = Symbol.for("prompt-builder.runtime-started");

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
  installHttpInstrumentation(() => labeler);

  const globals = globalThis as unknown as Record<symbol, boolean>;
  if (globals[STARTED]) return env;
  globals[STARTED] = true;

  appInfo.set({ version: env.APP_VERSION }, 1);
  installBackupMetric();
  startMetricsServer(env.METRICS_PORT)
    .then((server) => {
      logger.info("metrics listening", { port: env.METRICS_PORT, path: "/metrics" });
      const close = () => server.close();
      process.once("SIGTERM", close);
      process.once("SIGINT", close);
    })
    .catch((err: NodeJS.ErrnoException) => {
      process.stderr.write(`Cannot serve metrics on METRICS_PORT ${env.METRICS_PORT}: ${err.code ?? err.message}\n`);
      process.exit(1);
    });
  const disconnect = () => void getDb().$disconnect().catch(() => undefined);
  process.once("SIGTERM", disconnect);
  process.once("SIGINT", disconnect);
  logger.info("server build loaded", { version: env.APP_VERSION, nodeEnv: env.NODE_ENV, port: env.PORT });
  return env;
}
