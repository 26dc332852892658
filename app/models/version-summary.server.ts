/** A version as lists show it (history, the conflict view): one Prisma select and one mapper. */
import type { Prisma } from "~/server/db.server";

export const versionSummarySelect = {
  number: true,
  message: true,
  createdAt: true,
  author: { select: { name: true } },
  importedAuthor: true,
} as const satisfies Prisma.PromptVersionSelect;

export type VersionSummaryRow = Prisma.PromptVersionGetPayload<{ select: typeof versionSummarySelect }>;

/**
 * `author` is the account's name; for a version imported from a bundle whose author has no account
 * here, the e-mail the bundle named (decision 121); null when accounts are off or the author is gone.
 */
export function toVersionSummary(row: VersionSummaryRow) {
  return {
    number: row.number,
    message: row.message,
    author: row.author?.name ?? row.importedAuthor ?? null,
    createdAt: row.createdAt.toISOString(),
  };
}
export type VersionSummary = ReturnType<typeof toVersionSummary>;
