/**
 * Tells work that outlives its loader (an MCP event stream, a playground run) when the client's
 * connection closes, from the Node response itself.
 *
 * Why not `request.signal`: the Request a Remix loader gets is a copy of a copy of the adapter's
 * (stripIndexParam, stripDataParam in @remix-run/server-runtime), and a copied Request's signal
 * follows its source only while the copy's AbortController is alive. Node's fetch (undici) keeps
 * that controller on the Request object alone and follows through a WeakRef, so once the loader
 * has returned and a garbage collection has run, the client going away no longer aborts anything.
 * Holding the loader's Request does not help: the intermediate copies are collected too. Seen as
 * MCP stream slots that stayed taken after their clients had gone (under CPU load, when GCs fall
 * between the loader's return and the disconnect); docs/decisions/132-client-gone-from-the-socket.md.
 *
 * So the HTTP wrapper (http-instrumentation.server.ts) stamps each request with a connection key
 * of its own (overwriting any header of that name the client sent) and keeps its ServerResponse
 * until it closes; `onClientGone` finds the response by that key. A request without the key (a
 * unit test calling a loader directly) falls back to the signal.
 */
import { randomUUID } from "node:crypto";
import type http from "node:http";
import { processGlobal } from "../process-global.server";

export const CONNECTION_KEY_HEADER = "x-pb-connection";

const open = processGlobal("open-responses", () => new Map<string, http.ServerResponse>());

/** Called by the HTTP wrapper for every request, before any handler sees it. */
export function trackResponse(req: http.IncomingMessage, res: http.ServerResponse) {
  const key = randomUUID();
  req.headers[CONNECTION_KEY_HEADER] = key;
  open.set(key, res);
  res.once("close", () => open.delete(key));
}

/** How many responses are being tracked (for tests: none may be left behind). */
export const trackedResponses = () => open.size;

/**
 * Calls `listener` once when the client of `request` has gone (its response closed, whether it was
 * finished or cut off), or at once if it already has. The returned function stops listening.
 */
export function onClientGone(request: Request, listener: () => void): () => void {
  const key = request.headers.get(CONNECTION_KEY_HEADER);
  if (key !== null) {
    const res = open.get(key);
    // Stamped by the wrapper but no longer open: the response has closed already.
    if (!res) return soon(listener);
    res.once("close", listener);
    return () => res.off("close", listener);
  }
  const signal = request.signal;
  if (signal.aborted) return soon(listener);
  signal.addEventListener("abort", listener, { once: true });
  return () => signal.removeEventListener("abort", listener);
}

function soon(listener: () => void): () => void {
  let cancelled = false;
  queueMicrotask(() => {
    if (!cancelled) listener();
  });
  return () => {
    cancelled = true;
  };
}
