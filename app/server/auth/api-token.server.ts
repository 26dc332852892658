/**
 * API tokens: `Authorization: Bearer pb_…`. Only the token's sha256 is stored; a revoked token, or
 * one whose owner is deactivated, stops at the next request.
 */
import { getDb } from "../db.server";
import { isRole, parseList, SCOPES, type Scope } from "./roles";
import { randomSecret, sha256 } from "./secrets.server";
import type { AuthUser } from "./session.server";

export const TOKEN_PREFIX = "pb_";
const TOUCH_EVERY_MS = 60_000;

export function newApiToken(): { token: string; hash: string; prefix: string } {
  const token = `${TOKEN_PREFIX}${randomSecret()}`;
  return { token, hash: sha256(token), prefix: token.slice(0, 10) };
}

export type TokenGrant = { id: string; scopes: Scope[]; labels: string[] };

/** The bearer token in the request, if any (the raw value; not yet checked). */
export function bearerToken(request: Request): string | null {
  const header = request.headers.get("Authorization") ?? "";
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1] ?? null;
}

/** The token's grant and owner, or null when it is unknown, revoked or its owner is deactivated. */
export async function authenticateToken(token: string): Promise<{ user: AuthUser; grant: TokenGrant } | null> {
  const db = getDb();
  const row = await db.apiToken.findUnique({
    where: { tokenHash: sha256(token) },
    include: { user: { select: { id: true, email: true, name: true, role: true, active: true } } },
  });
  if (!row || row.revokedAt || !row.user.active) return null;
  if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() > TOUCH_EVERY_MS) {
    await db.apiToken.updateMany({ where: { id: row.id }, data: { lastUsedAt: new Date() } });
  }
  const { user } = row;
  return {
    user: { id: user.id, email: user.email, name: user.name, role: isRole(user.role) ? user.role : "viewer" },
    grant: {
      id: row.id,
      scopes: parseList(row.scopes).filter((s): s is Scope => (SCOPES as readonly string[]).includes(s)),
      labels: parseList(row.labels),
    },
  };
}
