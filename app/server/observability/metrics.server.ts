/**
 * Prometheus metrics (prom-client): default Node metrics, RED metrics per Remix route id and
 * app_info. Served by `startMetricsServer` on METRICS_PORT, never on the app port.
 */
import http from "node:http";
import client from "prom-client";
import { processGlobal } from "../process-global.server";

export const registry = new client.Registry();
client.collectDefaultMetrics({ register: registry });

export const httpRequestsTotal = new client.Counter({
  name: "http_requests_total",
  help: "HTTP requests answered, by method, Remix route id and status code.",
  labelNames: ["method", "route", "status_code"] as const,
  registers: [registry],
});

export const httpRequestDurationSeconds = new client.Histogram({
  name: "http_request_duration_seconds",
  help: "Time from request to the last byte of the response, by method, Remix route id and status code.",
  labelNames: ["method", "route", "status_code"] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [registry],
});

export const appInfo = new client.Gauge({
  name: "app_info",
  help: "Always 1; the labels say which version of Prompt Builder runs.",
  labelNames: ["version"] as const,
  registers: [registry],
});

export const mcpEventStreams = new client.Gauge({
  name: "mcp_event_streams",
  help: "MCP clients' event streams (GET /mcp) open on this process, waiting for prompt-list notifications.",
  registers: [registry],
});

const KNOWN_METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);

export function recordRequest(method: string, route: string, statusCode: number, seconds: number) {
  const labels = { method: KNOWN_METHODS.has(method) ? method : "OTHER", route, status_code: String(statusCode) };
  httpRequestsTotal.inc(labels);
  httpRequestDurationSeconds.observe(labels, seconds);
}

/** Collectors registered by other modules (e.g. the backup freshness gauge) run before each scrape. */
const beforeScrape: Array<() => Promise<void> | void> = [];
export function onScrape(hook: () => Promise<void> | void) {
  beforeScrape.push(hook);
}

/** The metrics listeners: the request wrapper leaves them out of the app's own metrics. */
export const metricsServers = processGlobal("metrics-servers", () => new WeakSet<object>());

export function startMetricsServer(port: number, host?: string): Promise<http.Server> {
  const server = http.createServer(async (req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, { Allow: "GET, HEAD" }).end();
      return;
    }
    if (path !== "/metrics") {
      res.writeHead(404, { "Content-Type": "text/plain" }).end("Not found. Metrics are at /metrics\n");
      return;
    }
    try {
      for (const hook of beforeScrape) await hook();
      const body = await registry.metrics();
      res.writeHead(200, { "Content-Type": registry.contentType }).end(req.method === "HEAD" ? undefined : body);
    } catch (error) {
      res.writeHead(500, { "Content-Type": "text/plain" }).end(`metrics collection failed: ${String(error)}\n`);
    }
  });
  metricsServers.add(server);
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve(server);
    });
  });
}
