/**
 * Request metrics and base security headers for every response the server sends.
 *
 * remix-serve (the production server the design card fixes) offers no middleware hook, and static
 * assets never reach Remix. So the server build installs this once: it wraps the `request` event of
 * Node's http.Server (the way OpenTelemetry's http instrumentation does), sets the base headers
 * before any handler runs, and records method, Remix route id and status when the response ends.
 * See docs/decisions/001-instrumentation-under-remix-serve.md.
 */
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { logger } from "../logger.server";
import { beforeWriteHead, trackRequest } from "../shutdown.server";
import { refuseAtBoundary } from "~/server/http/request-boundary.server";
import {
  answerAndClose,
  applyServerLimits,
  bodyLimitFor,
  capRequestBody,
  type BodyLimits,
  type ServerLimits,
} from "~/server/http/request-bounds.server";
import { CLIENT_ADDRESS_HEADER } from "~/server/http/client-address.server";
import { trackResponse } from "~/server/http/client-gone.server";
import {
  checkRequest,
  MUTATING_METHODS,
  rateLimitedProblem,
  requestAddress,
} from "~/server/rate-limit/rate-limit.server";
import type { Decision } from "~/server/rate-limit/token-bucket";
import { metricsServers, recordRequest } from "./metrics.server";
import { processGlobal } from "../process-global.server";
import type { RouteLabeler } from "./route-label";
import { BASE_SECURITY_HEADERS, RENDER_WORKER_CSP } from "./security-headers";

/** The builder's render worker bundles (scripts/build-workers.mjs): hashed names, no sub-folders. */
const WORKER_SCRIPT = /^\/build\/workers\/[A-Za-z0-9_-]+\.js$/;
const WORKER_HEADERS: Readonly<Record<string, string>> = {
  ...BASE_SECURITY_HEADERS,
  "Content-Security-Policy": RENDER_WORKER_CSP,
};

/** Lists the files under public/ (excluding the build output) as URL paths. */
export function listPublicFiles(publicDir = path.resolve("public")): Set<string> {
  const files = new Set<string>();
  const walk = (dir: string, prefix: string) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const urlPath = `${prefix}/${entry.name}`;
      if (entry.isDirectory()) {
        if (urlPath !== "/build") walk(path.join(dir, entry.name), urlPath);
      } else files.add(urlPath);
    }
  };
  walk(publicDir, "");
  return files;
}

/** The bounds the wrapper applies (docs/decisions/085-request-bounds-at-the-http-layer.md). */
export type RequestBounds = { body: BodyLimits; server?: ServerLimits };

/**
 * No configured body limit may exceed this (env.server.ts MAX_BODY_LIMIT_BYTES); routes that read
 * a body themselves use it as the point past which they stop reading.
 */
export const MAX_REQUEST_BODY_BYTES = 64 * 1024 * 1024;

const UNCONFIGURED: RequestBounds = {
  body: { form: MAX_REQUEST_BODY_BYTES, json: MAX_REQUEST_BODY_BYTES, other: MAX_REQUEST_BODY_BYTES },
};

export function installHttpInstrumentation(getLabeler: () => RouteLabeler | undefined, bounds?: RequestBounds) {
  const state = processGlobal("http-instrumentation", () => ({
    getLabeler,
    bounds: bounds ?? UNCONFIGURED,
    installed: false,
  }));
  // A dev rebuild re-runs this module: keep one wrapper, but use the newest route table and bounds.
  state.getLabeler = getLabeler;
  state.bounds = bounds ?? UNCONFIGURED;
  if (state.installed) return;
  state.installed = true;
  const originalEmit = http.Server.prototype.emit;
  // Passes the event on unchanged, whatever it is (emit's overloads each take one event's arguments).
  const passOn = (server: http.Server, event: string | symbol, args: unknown[]): boolean =>
    Reflect.apply(originalEmit, server, [event, ...args]);
  http.Server.prototype.emit = function emit(this: http.Server, event: string | symbol, ...args: unknown[]) {
    // Node starts its checker of request timeouts on "listening": the limits must be set before.
    if (event === "listening" && !metricsServers.has(this) && state.bounds.server) {
      applyServerLimits(this, state.bounds.server);
    }
    if (event === "request" && !metricsServers.has(this)) {
      const [req, res] = args as [http.IncomingMessage, http.ServerResponse];
      trackRequest(this, res);
      onRequest(req, res, state.getLabeler);
      const bodyLimit = bodyLimitFor(state.bounds.body, req.headers["content-type"]);
      if (capRequestBody(req, res, bodyLimit)) return true;
      // NUL/control characters in the URL, a bad Host, a cross-site write: 400/403 before any handler.
      if (refuseAtBoundary(req, res, bodyLimit)) return true;
      // Only mutating requests are limited: reads skip the route lookup.
      const pathname = (req.url ?? "/").split("?")[0] || "/";
      const mutating = MUTATING_METHODS.has(req.method ?? "GET");
      const decision: Decision | Promise<Decision> = mutating
        ? checkRequest(req, state.getLabeler()?.(pathname))
        : { ok: true };
      const dispatch = (d: Decision) => {
        if (d.ok) return passOn(this, event, args);
        answerAndClose(res, rateLimitedProblem(d), { "Retry-After": String(d.retryAfterSeconds) });
        return true;
      };
      if (decision instanceof Promise) {
        // An identity resolver (an API token looked up, say) runs before the handler; the body waits unread.
        decision.then(dispatch).catch((err) => {
          logger.error("rate limit check failed", { err });
          res.socket?.destroy();
        });
        return true;
      }
      return dispatch(decision);
    }
    return passOn(this, event, args);
  } as typeof originalEmit;
}

/** A client's own request id is kept when it is short and plain (it ends up in logs and headers). */
const SAFE_REQUEST_ID = /^[A-Za-z0-9._:@-]{1,128}$/;
const PROBES = new Set(["/healthz", "/api/health"]);

export function requestIdFor(incoming: string | string[] | undefined): string {
  const value = Array.isArray(incoming) ? incoming[0] : incoming;
  return value && SAFE_REQUEST_ID.test(value) ? value : randomUUID();
}

function onRequest(req: http.IncomingMessage, res: http.ServerResponse, getLabeler: () => RouteLabeler | undefined) {
  const started = process.hrtime.bigint();
  // Set on the incoming headers too, so Remix's Request carries it to handleError's log lines.
  const requestId = requestIdFor(req.headers["x-request-id"]);
  req.headers["x-request-id"] = requestId;
  // The client's address by the limiter's rule (TRUST_PROXY), for the audit log, the sessions list
  // and routes that key limits themselves; a client's own header of that name is overwritten.
  req.headers[CLIENT_ADDRESS_HEADER] = requestAddress(req);
  // A key to this response, for work that must learn when the client goes (client-gone.server.ts).
  trackResponse(req, res);
  // Added when the head is written, and only where the handler set none: @remix-run/express
  // appends headers, so setting them up front would send documents two CSPs.
  // A worker's script carries the worker's CSP (docs/decisions/006-render-worker-csp.md).
  const base = WORKER_SCRIPT.test((req.url ?? "/").split("?")[0] ?? "") ? WORKER_HEADERS : BASE_SECURITY_HEADERS;
  const writeHead = res.writeHead;
  res.writeHead = function (this: http.ServerResponse, ...args: unknown[]) {
    for (const [name, value] of Object.entries(base)) {
      if (!this.hasHeader(name)) this.setHeader(name, value);
    }
    if (!this.hasHeader("X-Request-Id")) this.setHeader("X-Request-Id", requestId);
    beforeWriteHead(this);
    return (writeHead as (...a: unknown[]) => http.ServerResponse).apply(this, args);
  } as typeof res.writeHead;
  let recorded = false;
  const record = (status: number) => {
    if (recorded) return;
    recorded = true;
    const pathname = (req.url ?? "/").split("?")[0] || "/";
    const label = getLabeler()?.(pathname) ?? "unknown";
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    recordRequest(req.method ?? "GET", label, status, seconds);
    // The access log: one JSON line per request (remix-serve's own text line is switched off).
    const line = {
      method: req.method,
      route: label,
      status,
      duration_ms: Math.round(seconds * 10_000) / 10,
      request_id: requestId,
    };
    if (PROBES.has(pathname) && status < 400) logger.debug("request", line);
    else logger.info("request", line);
  };
  res.once("finish", () => record(res.statusCode));
  // The client went away before the response ended: count it as 499 (client closed request).
  res.once("close", () => record(res.writableFinished ? res.statusCode : 499));
}
