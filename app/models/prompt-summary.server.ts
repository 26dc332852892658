/**
 * A prompt as the library, its page and the API show it: one Prisma select and one mapper, so the
 * fields read and their JSON shape (folder path, sorted tag names, labels with version numbers)
 * are the same everywhere.
 */
import type { Prisma } from "~/server/db.server";

export const promptSummarySelect = {
  id: true,
  slug: true,
  name: true,
  description: true,
  favorite: true,
  headVersion: true,
  createdAt: true,
  updatedAt: true,
  deletedAt: true,
  folder: { select: { path: true } },
  tags: { select: { tag: { select: { name: true } } } },
  labels: {
    orderBy: { name: "asc" },
    select: { id: true, name: true, protected: true, updatedAt: true, version: { select: { number: true } } },
  },
} as const satisfies Prisma.PromptSelect;

export type PromptSummaryRow = Prisma.PromptGetPayload<{ select: typeof promptSummarySelect }>;

export type PromptSummary = {
  id: string;
  slug: string;
  name: string;
  description: string;
  favorite: boolean;
  /** "" at the top level. */
  folder: string;
  /** Sorted. */
  tags: string[];
  /** By name. */
  labels: Array<{ name: string; version: number; protected: boolean; updatedAt: string }>;
  headVersion: number;
  createdAt: string;
  updatedAt: string;
};

export function toPromptSummary(row: PromptSummaryRow): PromptSummary {
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    description: row.description,
    favorite: row.favorite,
    folder: row.folder?.path ?? "",
    tags: row.tags.map((t) => t.tag.name).sort(),
    labels: row.labels.map((l) => ({
      name: l.name,
      version: l.version.number,
      protected: l.protected,
      updatedAt: l.updatedAt.toISOString(),
    })),
    headVersion: row.headVersion,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
