/**
 * The audit log: who did what to what, when and from where (issue 12). `recordAudit` is called by
 * the repository INSIDE the transaction of the write it records, so a write that rolls back leaves
 * no row, and a row never claims a write that did not happen. Nothing in the app updates or deletes
 * an AuditEvent; the admin panel lists them (`listAudit`).
 *
 * Which writes are recorded (docs/security.md "Audit log"): everything that changes what a prompt
 * says or serves (create, duplicate, save, restore, details, tags, folder, visibility, labels and
 * their protection, trash, restore, purge), snippets, tags and folders, accounts, sessions, tokens,
 * settings and change requests. Not recorded: the favourite star and the stash of a conflicting
 * draft (neither changes what anyone else reads or serves) and the default test values (a
 * convenience for previews, not served). Details are small and hold no secrets, passwords, tokens
 * or variable values.
 *
 * To add an action: append it to AUDIT_ACTIONS (and its target type to AUDIT_TARGET_TYPES), then
 * call recordAudit(tx, actor, { action, target, details }) in the repository's transaction.
 */
import type { Prisma } from "~/server/db.server";
import type { Db } from "~/server/db.server";
import type { Actor } from "~/server/auth/actor";
import { z } from "zod";
import { parseInput } from "~/prompt/zod-issues";

export type { Actor } from "~/server/auth/actor";

import { AUDIT_ACTIONS, type AuditAction, type AuditTargetType } from "~/library/audit-actions";

export { AUDIT_ACTIONS, AUDIT_TARGET_TYPES, type AuditAction, type AuditTargetType } from "~/library/audit-actions";

type Detail = string | number | boolean | null | readonly (string | number)[];

export type AuditEventInput = {
  action: AuditAction;
  target?: { type: AuditTargetType; id: string; name?: string };
  /** Small facts (version numbers, role names, counts). Never secrets or variable values. */
  details?: Record<string, Detail | undefined>;
};

/** The stored details are bounded: a long value is cut, a large object is replaced by a note. */
const MAX_DETAIL_CHARS = 2000;

export function detailsJson(details: AuditEventInput["details"]): string {
  if (!details) return "{}";
  const clean: Record<string, Detail> = {};
  for (const [key, value] of Object.entries(details)) {
    if (value === undefined) continue;
    clean[key.slice(0, 60)] = typeof value === "string" ? value.slice(0, 300) : value;
  }
  const json = JSON.stringify(clean);
  return json.length <= MAX_DETAIL_CHARS ? json : JSON.stringify({ truncated: true });
}

/** Records one event in the transaction `tx` of the write it describes. */
export async function recordAudit(
  tx: Prisma.TransactionClient,
  actor: Actor | null,
  event: AuditEventInput,
): Promise<void> {
  await tx.auditEvent.create({
    data: {
      actorId: actor?.id ?? null,
      tokenId: actor?.tokenId ?? null,
      actorLabel: (actor?.label ?? "").slice(0, 200),
      address: (actor?.address ?? "").slice(0, 64),
      action: event.action,
      targetType: event.target?.type ?? "",
      targetId: (event.target?.id ?? "").slice(0, 200),
      targetName: (event.target?.name ?? "").slice(0, 300),
      details: detailsJson(event.details),
    },
  });
}

// ---- Reading (the admin panel) ----

const isoDate = z
  .string()
  .trim()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "must be a date (YYYY-MM-DD)")
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)), "must be a real date");

export const auditQuerySchema = z.object({
  actor: z.string().trim().max(200, "must be at most 200 characters").optional().default(""),
  action: z
    .string()
    .trim()
    .max(60)
    .refine((a) => a === "" || (AUDIT_ACTIONS as readonly string[]).includes(a) || /^[a-zA-Z]+$/.test(a), {
      message: "must be an action or an action group (prompt, label, user, …)",
    })
    .optional()
    .default(""),
  target: z.string().trim().max(200, "must be at most 200 characters").optional().default(""),
  from: z
    .union([z.literal(""), isoDate])
    .optional()
    .default(""),
  to: z
    .union([z.literal(""), isoDate])
    .optional()
    .default(""),
  cursor: z
    .string()
    .max(100)
    .regex(/^[A-Za-z0-9_-]*$/, "is not a cursor")
    .optional()
    .default(""),
});
export type AuditQuery = z.output<typeof auditQuerySchema>;

export const AUDIT_PAGE_SIZE = 50;

export function parseAuditQuery(params: URLSearchParams): AuditQuery {
  const raw = Object.fromEntries(
    ["actor", "action", "target", "from", "to", "cursor"].map((k) => [k, params.get(k) ?? undefined]),
  );
  return parseInput(auditQuerySchema, raw, {
    labels: { actor: "Actor", action: "Action", target: "Target", from: "From", to: "To" },
  });
}

/**
 * One page of events, newest first, with the filters: actor (e-mail snapshot or user id, part of
 * it), action (exact, or a group like `label` for every `label.*`), target (id or part of its
 * name), a date range (whole UTC days). The cursor is the id of the last event of the page before.
 */
export async function listAudit(db: Db, query: AuditQuery, take = AUDIT_PAGE_SIZE) {
  const where: Prisma.AuditEventWhereInput = {};
  const and: Prisma.AuditEventWhereInput[] = [];
  if (query.actor)
    and.push({ OR: [{ actorLabel: { contains: query.actor } }, { actorId: query.actor }, { tokenId: query.actor }] });
  if (query.action)
    and.push(query.action.includes(".") ? { action: query.action } : { action: { startsWith: `${query.action}.` } });
  if (query.target) and.push({ OR: [{ targetId: query.target }, { targetName: { contains: query.target } }] });
  if (query.from) and.push({ at: { gte: new Date(`${query.from}T00:00:00Z`) } });
  if (query.to) and.push({ at: { lt: new Date(Date.parse(`${query.to}T00:00:00Z`) + 24 * 60 * 60 * 1000) } });
  if (query.cursor) {
    const last = await db.auditEvent.findUnique({ where: { id: query.cursor }, select: { at: true, id: true } });
    if (last) and.push({ OR: [{ at: { lt: last.at } }, { at: last.at, id: { lt: last.id } }] });
  }
  if (and.length) where.AND = and;
  const rows = await db.auditEvent.findMany({
    where,
    orderBy: [{ at: "desc" }, { id: "desc" }],
    take: take + 1,
  });
  const page = rows.slice(0, take);
  return {
    events: page.map((e) => ({ ...e, details: parseDetails(e.details) })),
    nextCursor: rows.length > take ? (page[page.length - 1]?.id ?? null) : null,
  };
}

function parseDetails(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === "object" && !Array.isArray(value) ? Object.fromEntries(Object.entries(value)) : {};
  } catch {
    return {};
  }
}
