/**
 * Checks every request gets before any handler (the request wrapper calls it): a URL whose path
 * holds control characters or whose path or query holds NUL (PostgreSQL cannot store it; refused on
 * SQLite too so data can move), a Host that is not a host, and a cross-site mutating request
 * (./same-origin.ts). Each is answered as problem+json, 400 or 403; null lets the request go on.
 */
import type http from "node:http";
import type { Problem } from "~/prompt/problem";
import { NUL_MESSAGE } from "~/prompt/text";
import { problemOf, PROBLEM_CONTENT_TYPE } from "./problem.server";
import { crossSiteProblem, crossSiteReason, requestHost } from "./same-origin";

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

function decoded(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

function urlProblem(url: string): Problem | null {
  const q = url.indexOf("?");
  const pathname = q === -1 ? url : url.slice(0, q);
  if (CONTROL.test(decoded(pathname))) {
    return problemOf(400, "The address holds control characters.", [
      { path: ["url"], message: "no control characters in the path" },
    ]);
  }
  if (q !== -1) {
    for (const [key, value] of new URLSearchParams(url.slice(q + 1))) {
      if (key.includes("\0") || value.includes("\0")) {
        return problemOf(400, `A query parameter ${NUL_MESSAGE}.`, [
          { path: [key.replace(/\0/g, "")], message: NUL_MESSAGE },
        ]);
      }
    }
  }
  return null;
}

function hostProblem(host: string | null): Problem | null {
  if (host === null) return null;
  try {
    if (new URL(`http://${host}`).host !== "") return null;
  } catch {
    // falls through
  }
  return problemOf(400, "The Host header is not a host name.", [{ path: ["host"], message: "not a host" }]);
}

/** The problem that refuses this request at the door, or null. */
export function boundaryProblem(req: Pick<http.IncomingMessage, "method" | "url" | "headers">): Problem | null {
  const url = req.url ?? "/";
  const get = (name: string) => {
    const v = req.headers[name];
    return Array.isArray(v) ? v.join(", ") : (v ?? null);
  };
  const bad = urlProblem(url) ?? hostProblem(requestHost(get));
  if (bad) return bad;
  // As the router will see it: dot segments resolved ("/api/../prompts/x" is a page).
  let pathname: string;
  try {
    pathname = decoded(new URL(url, "http://boundary.invalid").pathname);
  } catch {
    pathname = decoded(url.split("?")[0] ?? "/");
  }
  const reason = crossSiteReason(req.method ?? "GET", pathname, get);
  return reason ? crossSiteProblem(reason) : null;
}

/**
 * Answers the request here when the boundary refuses it (true). The body is read and dropped first
 * (up to `maxBodyBytes`, past which the connection goes), so the client, still sending, gets the answer.
 */
export function refuseAtBoundary(req: http.IncomingMessage, res: http.ServerResponse, maxBodyBytes: number): boolean {
  const problem = boundaryProblem(req);
  if (!problem) return false;
  const body = JSON.stringify(problem);
  let seen = 0;
  req.on("data", (chunk: Buffer) => {
    seen += chunk.length;
    if (seen > maxBodyBytes) req.destroy();
  });
  req.on("error", () => undefined);
  req.once("end", () => {
    res.writeHead(problem.status, {
      "Content-Type": PROBLEM_CONTENT_TYPE,
      "Content-Length": Buffer.byteLength(body),
      "Cache-Control": "no-store",
    });
    res.end(body);
  });
  req.resume();
  return true;
}
