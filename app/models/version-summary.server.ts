/** A version as lists show it (history, the conflict view): one Prisma select and one mapper. */
import type { Prisma } from "~/server/db.server";

export const versionSummarySelect = {
  number: true,
  message: true,
  createdAt: true,
  author: { select: { name: true } },
} as const satisfies Prisma.PromptVersionSelect;

export type VersionSummaryRow = Prisma.PromptVersionGetPayload<{ select: typeof versionSummarySelect }>;

/** `author` is null when accounts are off or the author is gone ("local"). */
export function toVersionSummary(row: VersionSummaryRow) {
  return {
    number: row.number,
    message: row.message,
    author: row.author?.name ?? null,
    createdAt: row.createdAt.toISOString(),
  };
}
export type VersionSummary = ReturnType<typeof toVersionSummary>;
