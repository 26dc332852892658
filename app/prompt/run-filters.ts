/** The query of /prompts/:slug/runs, parsed: every filter optional, bad values are field problems. */
import { z } from "zod";
import { RUN_STATUSES, type RunFilters } from "./run-history";

const blank = (v: unknown) => (v === "" || v === null ? undefined : v);

export const runFiltersSchema: z.ZodType<RunFilters, unknown> = z.object({
  version: z.preprocess(blank, z.union([z.literal("draft"), z.coerce.number().int().min(1).max(1_000_000)]).optional()),
  model: z.preprocess(blank, z.string().trim().max(200).optional()),
  status: z.preprocess(blank, z.enum(RUN_STATUSES).optional()),
  who: z.preprocess(blank, z.string().trim().max(100).optional()),
  page: z.preprocess(blank, z.coerce.number().int().min(1).max(10_000).default(1)),
});
