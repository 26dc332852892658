/**
 * API tokens a user creates for programs: scopes (read, render, write), optional label limits,
 * shown once, stored as sha256, revocable at once. A token never does more than its owner's role
 * (checked on every request in app/server/auth/guard.server.ts).
 */
import { z } from "zod";
import type { Db } from "~/server/db.server";
import { InvalidError } from "~/prompt/errors";
import { parseInput } from "~/prompt/zod-issues";
import { newApiToken } from "~/server/auth/api-token.server";
import { parseList, roleAtLeast, SCOPE_ROLE, SCOPES, type Role } from "~/server/auth/roles";
import { labelNameSchema } from "./labels.server";
import { recordAudit, type Actor } from "./audit.server";

const tokenInputSchema = z.object({
  name: z.string().trim().min(1, "is required").max(80, "must be at most 80 characters"),
  scopes: z.array(z.enum(SCOPES)).min(1, "choose at least one scope"),
  labels: z.array(labelNameSchema).max(20),
});

/** Creates a token for `owner`; returns the token text, which is never shown again. */
export async function createApiToken(
  db: Db,
  owner: { id: string; role: Role },
  input: { name: unknown; scopes: unknown[]; labels: string },
  actor: Actor,
): Promise<{ id: string; token: string }> {
  const parsed = parseInput(tokenInputSchema, { ...input, labels: parseList(input.labels) });
  for (const scope of parsed.scopes) {
    if (!roleAtLeast(owner.role, SCOPE_ROLE[scope]))
      throw InvalidError.field("scopes", `A ${owner.role} cannot create a token with the "${scope}" scope.`);
  }
  const { token, hash, prefix } = newApiToken();
  const row = await db.$transaction(async (tx) => {
    const created = await tx.apiToken.create({
      data: {
        tokenHash: hash,
        prefix,
        name: parsed.name,
        userId: owner.id,
        scopes: parsed.scopes.join(","),
        labels: parsed.labels.join(","),
      },
    });
    await recordAudit(tx, actor, {
      action: "token.create",
      target: { type: "token", id: created.id, name: `${created.name} (${created.prefix}…)` },
      details: { owner: owner.id, scopes: parsed.scopes, labels: parsed.labels },
    });
    return created;
  });
  return { id: row.id, token };
}

export async function listApiTokens(db: Db, userId?: string) {
  return db.apiToken.findMany({
    where: userId ? { userId } : {},
    orderBy: { createdAt: "desc" },
    select: {
      id: true,
      name: true,
      prefix: true,
      scopes: true,
      labels: true,
      createdAt: true,
      lastUsedAt: true,
      revokedAt: true,
      user: { select: { email: true } },
    },
  });
}

/** Revokes a token at once; `userId` limits it to the user's own tokens (null: an admin, any token). */
export async function revokeApiToken(db: Db, id: string, userId: string | null, actor: Actor) {
  await db.$transaction(async (tx) => {
    const { count } = await tx.apiToken.updateMany({
      where: { id, revokedAt: null, ...(userId ? { userId } : {}) },
      data: { revokedAt: new Date() },
    });
    if (count === 0) throw InvalidError.field("id", "No such active token.", { malformed: true });
    const token = await tx.apiToken.findUniqueOrThrow({ where: { id }, select: { name: true, prefix: true } });
    await recordAudit(tx, actor, {
      action: "token.revoke",
      target: { type: "token", id, name: `${token.name} (${token.prefix}…)` },
    });
  });
}
