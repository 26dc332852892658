/**
 * The visibility rule in Prisma terms, for repositories that read prompts on behalf of a user:
 * private prompts only for their owner (null: everything, for an admin or single-user mode). The
 * SQL lists use the same rule (library.server.ts); the guard's visibleInScope is its one-prompt form.
 */
import type { VisibleTo } from "./library.server";

export function promptVisibleWhere(visibleTo: VisibleTo) {
  return visibleTo ? { OR: [{ visibility: { not: "private" } }, { ownerId: visibleTo.userId }] } : {};
}
