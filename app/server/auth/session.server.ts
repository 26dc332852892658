/**
 * Login sessions kept in the database (so they can be revoked: delete the row). The cookie carries a
 * random session secret signed with SESSION_SECRET; the table holds only its sha256. A session ends
 * after SESSION_IDLE_MINUTES without a request or SESSION_MAX_DAYS after login, whichever is first.
 */
import { getDb } from "../db.server";
import { requestClientAddress } from "~/server/http/client-address.server";
import { getEnv } from "../env.server";
import { isRole, type Role } from "./roles";
import { randomSecret, sha256, sign, unsign } from "./secrets.server";

export const SESSION_COOKIE = "pb_session";
/** lastSeenAt is written at most this often per session (not on every request). */
const TOUCH_EVERY_MS = 60_000;

export type AuthUser = { id: string; email: string; name: string; role: Role };

function cookieHeader(value: string, maxAgeSeconds: number): string {
  const parts = [`${SESSION_COOKIE}=${value}`, "Path=/", "HttpOnly", "SameSite=Lax", `Max-Age=${maxAgeSeconds}`];
  if (getEnv().NODE_ENV === "production") parts.push("Secure");
  return parts.join("; ");
}

function cookieValue(request: Request): string | null {
  for (const part of (request.headers.get("Cookie") ?? "").split(";")) {
    const [name, ...rest] = part.trim().split("=");
    if (name === SESSION_COOKIE) return rest.join("=");
  }
  return null;
}

/** Starts a session for the user; returns the Set-Cookie header value. */
export async function createSession(userId: string, request: Request): Promise<string> {
  const env = getEnv();
  const secret = randomSecret();
  const maxAgeMs = env.SESSION_MAX_DAYS * 24 * 60 * 60 * 1000;
  await getDb().session.create({
    data: {
      tokenHash: sha256(secret),
      userId,
      expiresAt: new Date(Date.now() + maxAgeMs),
      ip: requestClientAddress(request),
      userAgent: (request.headers.get("user-agent") ?? "").slice(0, 200),
    },
  });
  return cookieHeader(sign(secret, env.SESSION_SECRET), Math.floor(maxAgeMs / 1000));
}

/** The Set-Cookie value that removes the cookie. */
export function clearedSessionCookie(): string {
  return cookieHeader("", 0);
}

export type CurrentSession = { sessionId: string; user: AuthUser };

/** The request's live session and its (active) user, or null. An expired session is deleted. */
export async function readSession(request: Request): Promise<CurrentSession | null> {
  const signed = cookieValue(request);
  if (!signed) return null;
  const secret = unsign(decodeURIComponent(signed), getEnv().SESSION_SECRET);
  if (!secret) return null;
  const db = getDb();
  const session = await db.session.findUnique({
    where: { tokenHash: sha256(secret) },
    include: { user: { select: { id: true, email: true, name: true, role: true, active: true } } },
  });
  if (!session) return null;
  const now = Date.now();
  const idleMs = getEnv().SESSION_IDLE_MINUTES * 60_000;
  if (session.expiresAt.getTime() <= now || session.lastSeenAt.getTime() + idleMs <= now || !session.user.active) {
    await db.session.deleteMany({ where: { id: session.id } });
    return null;
  }
  if (now - session.lastSeenAt.getTime() > TOUCH_EVERY_MS) {
    await db.session.updateMany({ where: { id: session.id }, data: { lastSeenAt: new Date(now) } });
  }
  const { user } = session;
  return {
    sessionId: session.id,
    user: { id: user.id, email: user.email, name: user.name, role: isRole(user.role) ? user.role : "viewer" },
  };
}

/** Ends the request's session (if any); returns the Set-Cookie value that clears the cookie. */
export async function endSession(request: Request): Promise<string> {
  const current = await readSession(request);
  if (current) await getDb().session.deleteMany({ where: { id: current.sessionId } });
  return clearedSessionCookie();
}
