/**
 * Bounds every request at the Node http layer, before any route runs (the request wrapper of
 * docs/decisions/001 calls these): a body cap per kind of body, counted on the declared length and
 * on the bytes as they arrive, and the server's timeouts against slow clients.
 * See docs/decisions/085-request-bounds-at-the-http-layer.md.
 */
import type http from "node:http";
import type net from "node:net";
import type { Problem } from "~/prompt/problem";
import { bodyTooLargeProblem, PROBLEM_CONTENT_TYPE } from "./problem.server";

export type BodyLimits = { form: number; json: number; other: number };

export type ServerLimits = {
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  keepAliveTimeoutMs: number;
  /** 0 = no limit. */
  maxRequestsPerSocket: number;
};

const FORM = /^\s*(application\/x-www-form-urlencoded|multipart\/form-data)\s*(;|$)/i;
const JSON_TYPE = /^\s*application\/([\w.+-]+\+)?json\s*(;|$)/i;
/** A `.prompt` zip: an import body like a JSON bundle, so it shares the JSON limit (IMPORT_MAX_BYTES fits in it). */
const ZIP_TYPE = /^\s*application\/(zip|x-zip-compressed)\s*(;|$)/i;

/** The limit for a body of this Content-Type: forms, JSON (and zips to import), or anything else. */
export function bodyLimitFor(limits: BodyLimits, contentType: string | undefined): number {
  if (FORM.test(contentType ?? "")) return limits.form;
  if (JSON_TYPE.test(contentType ?? "") || ZIP_TYPE.test(contentType ?? "")) return limits.json;
  return limits.other;
}

/** How long a refused connection keeps reading (and dropping) what the client still sends. */
const LINGER_MS = 1000;

/**
 * Answers `problem` directly on the Node response and closes the connection, and makes the
 * response deaf to whatever the route's handler writes later (it may still be running, and would
 * otherwise fail with "headers already sent"). The close lingers: the server sends its FIN and
 * drops what still arrives for up to LINGER_MS before it lets go of the socket, because closing a
 * socket with unread data sends a reset, and a reset can reach a client that is still sending
 * before it has read the answer (it then sees EPIPE instead of the 413 or 429).
 */
export function answerAndClose(res: http.ServerResponse, problem: Problem, headers: Record<string, string> = {}) {
  if (res.headersSent) {
    res.socket?.destroy();
    return;
  }
  const body = JSON.stringify(problem);
  res.shouldKeepAlive = false;
  const socket = res.socket as (net.Socket & { destroySoon?: () => void }) | null;
  if (socket) {
    // Node calls destroySoon once a "Connection: close" response has been written.
    socket.destroySoon = function (this: net.Socket) {
      this.end();
      const timer = setTimeout(() => this.destroy(), LINGER_MS);
      this.once("close", () => clearTimeout(timer));
    };
  }
  res.writeHead(problem.status, {
    ...headers,
    "Content-Type": PROBLEM_CONTENT_TYPE,
    "Content-Length": String(Buffer.byteLength(body)),
    Connection: "close",
  });
  res.end(body);
  seal(res);
}

function seal(res: http.ServerResponse) {
  res.setHeader = () => res;
  res.appendHeader = () => res;
  res.removeHeader = () => undefined;
  res.writeHead = () => res;
  res.write = () => true;
  res.end = () => res;
}

/**
 * Caps the request body at `limit` bytes: a larger declared Content-Length is refused at once;
 * otherwise the bytes are counted as Node's parser hands them to the request stream, and the first
 * byte past the limit is dropped (never buffered), the client gets 413 and the connection closes,
 * which fails the handler's read instead of letting it see a truncated body (the end of the body is
 * never passed on). Until the socket is let go, what still arrives is read and dropped. Returns true
 * when the request was refused before any handler saw it.
 */
export function capRequestBody(req: http.IncomingMessage, res: http.ServerResponse, limit: number): boolean {
  const declared = req.headers["content-length"];
  if (declared !== undefined && Number(declared) > limit) {
    answerAndClose(res, bodyTooLargeProblem(limit));
    return true;
  }
  let seen = 0;
  let refused = false;
  const push = req.push;
  req.push = function (this: http.IncomingMessage, chunk: unknown, encoding?: BufferEncoding) {
    if (refused) return true;
    if (chunk !== null && chunk !== undefined) {
      seen += (chunk as Buffer).length;
      if (seen > limit) {
        refused = true;
        answerAndClose(res, bodyTooLargeProblem(limit));
        return true;
      }
    }
    return push.call(this, chunk, encoding);
  };
  return false;
}

/** Sets the server's timeouts; called as it starts listening, before its connection checker starts. */
export function applyServerLimits(server: http.Server, limits: ServerLimits) {
  server.headersTimeout = limits.headersTimeoutMs;
  server.requestTimeout = limits.requestTimeoutMs;
  server.keepAliveTimeout = limits.keepAliveTimeoutMs;
  server.maxRequestsPerSocket = limits.maxRequestsPerSocket;
  // Node checks the two request timeouts on this interval (30 s by default), so a slow client is
  // cut at most this long after its timeout. Read when the server starts listening.
  (server as http.Server & { connectionsCheckingInterval: number }).connectionsCheckingInterval = Math.max(
    100,
    Math.min(1000, Math.floor(Math.min(limits.headersTimeoutMs, limits.requestTimeoutMs) / 4)),
  );
}
