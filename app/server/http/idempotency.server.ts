/**
 * Idempotency keys of API writes (docs/decisions/126): the first request with a key claims it with
 * an insert (the unique index decides between concurrent ones), runs, and stores its answer; a retry
 * with the same key and the same request gets that answer again, with another request a 422, and
 * while the first still runs a 409. Answers are kept for IDEMPOTENCY_TTL_MS.
 */
import type { Db } from "../db.server";

/** How long an answer is replayed for a retry. */
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
/** A claim without an answer older than this was left by a request that died: the next retry takes it over. */
export const IDEMPOTENCY_STALE_MS = 2 * 60 * 1000;

export type StoredAnswer = { status: number; body: string; contentType: string };

export type Claim =
  | { kind: "claimed"; id: string }
  | { kind: "replay"; answer: StoredAnswer }
  | { kind: "mismatch" }
  | { kind: "running" };

function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: unknown }).code === "P2002";
}

/** Claims `key` for this request, or says what an earlier request with the key left. */
export async function claimIdempotencyKey(
  db: Db,
  args: { principal: string; key: string; requestHash: string },
  now = new Date(),
): Promise<Claim> {
  // Expired answers go first, so an expired key is free again (and the table stays small).
  await db.idempotencyKey.deleteMany({ where: { expiresAt: { lt: now } } });
  try {
    const row = await db.idempotencyKey.create({
      data: { ...args, expiresAt: new Date(now.getTime() + IDEMPOTENCY_TTL_MS) },
      select: { id: true },
    });
    return { kind: "claimed", id: row.id };
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
  }
  const row = await db.idempotencyKey.findUnique({
    where: { principal_key: { principal: args.principal, key: args.key } },
  });
  // Deleted in between (its request failed): one more try claims it.
  if (!row) return claimIdempotencyKey(db, args, now);
  if (row.requestHash !== args.requestHash) return { kind: "mismatch" };
  if (row.status !== null && row.body !== null)
    return {
      kind: "replay",
      answer: { status: row.status, body: row.body, contentType: row.contentType ?? "application/json" },
    };
  if (now.getTime() - row.createdAt.getTime() < IDEMPOTENCY_STALE_MS) return { kind: "running" };
  // A stale claim: take it over, conditionally, so only one retry does.
  const taken = await db.idempotencyKey.updateMany({
    where: { id: row.id, status: null, createdAt: row.createdAt },
    data: { createdAt: now, expiresAt: new Date(now.getTime() + IDEMPOTENCY_TTL_MS) },
  });
  return taken.count === 1 ? { kind: "claimed", id: row.id } : { kind: "running" };
}

/** Stores the answer of a claimed key. */
export async function storeIdempotentAnswer(db: Db, id: string, answer: StoredAnswer) {
  await db.idempotencyKey.updateMany({
    where: { id },
    data: { status: answer.status, body: answer.body, contentType: answer.contentType },
  });
}

/** Frees a claimed key whose request failed on the server side: a retry runs it again. */
export async function releaseIdempotencyKey(db: Db, id: string) {
  await db.idempotencyKey.deleteMany({ where: { id, status: null } });
}
