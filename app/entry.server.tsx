/**
 * Server entry. Besides rendering, it carries the cross-cutting concerns of the server build:
 * configuration is validated at import (a bad value stops remix-serve before it listens), the HTTP
 * instrumentation (metrics, base security headers) is installed, the metrics listener starts on its
 * own port, and every HTML document gets a CSP with a fresh nonce.
 */
import crypto from "node:crypto";
import { PassThrough } from "node:stream";
import type { AppLoadContext, EntryContext, HandleErrorFunction } from "@remix-run/node";
import { createReadableStreamFromReadable } from "@remix-run/node";
import { isRouteErrorResponse, RemixServer } from "@remix-run/react";
import { isbot } from "isbot";
import { renderToPipeableStream } from "react-dom/server";
import { NonceProvider } from "./components/nonce";
import { startServerRuntime } from "./server/runtime.server";
import { documentCsp } from "./server/observability/security-headers";
import { logger } from "./server/logger.server";
import { reportError } from "./server/observability/error-reporting.server";

const env = startServerRuntime(import.meta.url);

const ABORT_DELAY = 5_000;
export const streamTimeout = ABORT_DELAY;

export default function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  _loadContext: AppLoadContext,
) {
  const nonce = crypto.randomBytes(16).toString("base64");
  responseHeaders.set("Content-Security-Policy", documentCsp(nonce, { development: env.NODE_ENV === "development" }));
  const readyEvent = isbot(request.headers.get("user-agent") ?? "") ? "onAllReady" : "onShellReady";

  return new Promise<Response>((resolve, reject) => {
    let shellRendered = false;
    const { pipe, abort } = renderToPipeableStream(
      <NonceProvider value={nonce}>
        <RemixServer context={remixContext} url={request.url} abortDelay={ABORT_DELAY} nonce={nonce} />
      </NonceProvider>,
      {
        nonce,
        [readyEvent]() {
          shellRendered = true;
          const body = new PassThrough();
          responseHeaders.set("Content-Type", "text/html; charset=utf-8");
          resolve(
            new Response(createReadableStreamFromReadable(body), {
              headers: responseHeaders,
              status: responseStatusCode,
            }),
          );
          pipe(body);
        },
        onShellError(error: unknown) {
          reject(error);
        },
        onError(error: unknown) {
          responseStatusCode = 500;
          if (shellRendered) logger.error("render failed", { err: error, url: request.url });
        },
      },
    );
    setTimeout(abort, ABORT_DELAY + 1000);
  });
}

export const handleError: HandleErrorFunction = (error, { request }) => {
  if (request.signal.aborted) return;
  const context = {
    method: request.method,
    url: new URL(request.url).pathname,
    request_id: request.headers.get("x-request-id") ?? undefined,
  };
  // Remix reports expected answers too (no such route: 404, no action: 405): not errors of the app.
  if (isRouteErrorResponse(error) && error.status < 500) {
    logger.debug("request rejected", {
      ...context,
      status: error.status,
      reason: typeof error.data === "string" ? error.data : error.statusText,
    });
    return;
  }
  logger.error("request failed", { ...context, err: error });
  reportError(error, { method: context.method, path: context.url, requestId: context.request_id });
};
