/**
 * Playground run history: every run is written once, when it ends (done, stopped or failed), and
 * listed per prompt with filters and pages. Budgets sum the recorded costs of the month.
 */
import { createHash } from "node:crypto";
import { ForbiddenError, NotFoundError } from "~/prompt/errors";
import type { PromptDraft } from "~/prompt/draft";
import {
  capOutput,
  MAX_STORED_VALUES_CHARS,
  monthStart,
  RUN_STATUSES,
  RUNS_PAGE_SIZE,
  type RunFilters,
  type RunStatus,
  type RunView,
} from "~/prompt/run-history";
import type { RunFailure, RunUsage, ToolCall } from "~/prompt/run-events";
import { typedValues } from "~/prompt/form-values";
import { runFiltersSchema } from "~/prompt/run-filters";
import { parseInput } from "~/prompt/zod-issues";
import type { Db } from "~/server/db.server";
import { recordAudit, type Actor } from "./audit.server";
import { requirePrompt, requireVersion } from "./history.server";
import { defaultTestValues } from "./test-values.server";

/** A short, stable name of a draft's content: runs of the same unsaved draft share it. */
export function draftHash(draft: PromptDraft): string {
  return createHash("sha256").update(JSON.stringify(draft)).digest("hex").slice(0, 12);
}

export type RunRecord = {
  promptId: string | null;
  versionNumber: number | null;
  draftHash: string;
  providerId: string;
  providerName: string;
  model: string;
  settings: unknown;
  values: Record<string, unknown>;
  text: string;
  toolCalls: ToolCall[];
  status: RunStatus;
  finishReason: string | null;
  failure: RunFailure | null;
  usage: RunUsage | null;
  costUsd: number | null;
  firstTokenMs: number | null;
  totalMs: number;
  user: { id: string; name: string } | null;
};

export async function recordRun(db: Db, r: RunRecord): Promise<string> {
  const { output, truncated } = capOutput(r.text);
  const values = JSON.stringify(r.values);
  const toolCalls = JSON.stringify(r.toolCalls);
  const row = await db.playgroundRun.create({
    data: {
      promptId: r.promptId,
      versionNumber: r.versionNumber,
      draftHash: r.draftHash,
      providerId: r.providerId,
      providerName: r.providerName,
      model: r.model,
      settings: JSON.stringify(r.settings ?? {}),
      values: values.length > MAX_STORED_VALUES_CHARS ? JSON.stringify({ "(not kept)": "values too large" }) : values,
      output,
      outputTruncated: truncated,
      toolCalls: toolCalls.length > MAX_STORED_VALUES_CHARS ? "[]" : toolCalls,
      status: r.status,
      finishReason: r.finishReason,
      errorKind: r.failure?.kind ?? null,
      errorMessage: r.failure?.message.slice(0, 1000) ?? null,
      inputTokens: r.usage?.inputTokens ?? null,
      outputTokens: r.usage?.outputTokens ?? null,
      costUsd: r.costUsd,
      firstTokenMs: r.firstTokenMs,
      totalMs: r.totalMs,
      userId: r.user?.id ?? null,
      userName: r.user?.name.slice(0, 200) ?? "",
    },
    select: { id: true },
  });
  return row.id;
}

const statusOf = (s: string): RunStatus =>
  (RUN_STATUSES as readonly string[]).includes(s) ? (s as RunStatus) : "failed";

/** A run row as selected: the view's fields, with the status as stored and the date as a Date. */
type RunRowSummary = Omit<RunView, "status" | "createdAt"> & { status: string; createdAt: Date };

function viewOf(row: RunRowSummary): RunView {
  return { ...row, status: statusOf(row.status), createdAt: row.createdAt.toISOString() };
}

const summarySelect = {
  id: true,
  versionNumber: true,
  draftHash: true,
  providerName: true,
  model: true,
  status: true,
  finishReason: true,
  errorKind: true,
  errorMessage: true,
  inputTokens: true,
  outputTokens: true,
  costUsd: true,
  firstTokenMs: true,
  totalMs: true,
  userId: true,
  userName: true,
  createdAt: true,
} as const;

/** One page of a prompt's runs, newest first, with the values the filters can take. */
export async function listRuns(db: Db, promptId: string, filters: RunFilters) {
  const where = {
    promptId,
    ...(filters.version === "draft"
      ? { versionNumber: null }
      : filters.version !== undefined
        ? { versionNumber: filters.version }
        : {}),
    ...(filters.model ? { model: filters.model } : {}),
    ...(filters.status ? { status: filters.status } : {}),
    ...(filters.who ? (filters.who === "-" ? { userId: null } : { userId: filters.who }) : {}),
  };
  const [rows, total, models, people, versions] = await Promise.all([
    db.playgroundRun.findMany({
      where,
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      skip: (filters.page - 1) * RUNS_PAGE_SIZE,
      take: RUNS_PAGE_SIZE,
      select: summarySelect,
    }),
    db.playgroundRun.count({ where }),
    db.playgroundRun.findMany({ where: { promptId }, distinct: ["model"], select: { model: true }, take: 100 }),
    db.playgroundRun.findMany({
      where: { promptId },
      distinct: ["userId"],
      select: { userId: true, userName: true },
      take: 100,
    }),
    db.playgroundRun.findMany({
      where: { promptId },
      distinct: ["versionNumber"],
      select: { versionNumber: true },
      take: 200,
    }),
  ]);
  return {
    runs: rows.map(viewOf),
    total,
    pages: Math.max(1, Math.ceil(total / RUNS_PAGE_SIZE)),
    options: {
      models: models.map((m) => m.model).sort(),
      people: people.map((p) => ({ id: p.userId ?? "-", name: p.userName || "(single-user)" })),
      versions: versions
        .map((v) => v.versionNumber)
        .filter((n): n is number => n !== null)
        .sort((a, b) => b - a),
    },
  };
}

export async function getRun(db: Db, slug: string, id: string) {
  const prompt = await requirePrompt(db, slug);
  const row = await db.playgroundRun.findFirst({ where: { id: id.slice(0, 100), promptId: prompt.id } });
  if (!row) throw new NotFoundError("run", id, "No such run of this prompt.", "run");
  const parse = (text: string, fallback: unknown): unknown => {
    try {
      return JSON.parse(text);
    } catch {
      return fallback;
    }
  };
  return {
    prompt: { slug: prompt.slug, name: prompt.name },
    ...viewOf(row),
    providerId: row.providerId,
    settings: parse(row.settings, {}) as Record<string, unknown>,
    values: parse(row.values, {}) as Record<string, unknown>,
    output: row.output,
    outputTruncated: row.outputTruncated,
    toolCalls: parse(row.toolCalls, []) as ToolCall[],
  };
}

/** Editors delete their own runs, admins any. */
export async function deleteRun(db: Db, slug: string, id: string, actor: Actor): Promise<void> {
  const promptId = (await requirePrompt(db, slug)).id;
  const row = await db.playgroundRun.findFirst({ where: { id: id.slice(0, 100), promptId }, select: { userId: true } });
  if (!row) throw new NotFoundError("run", id, "No such run of this prompt.", "run");
  if (actor.role !== "admin" && row.userId !== actor.id) {
    throw new ForbiddenError("Only an admin can delete someone else's run.", "run");
  }
  await db.$transaction(async (tx) => {
    await tx.playgroundRun.deleteMany({ where: { id: id.slice(0, 100), promptId } });
    await recordAudit(tx, actor, { action: "run.delete", target: { type: "run", id: id.slice(0, 100), name: slug } });
  });
}

/** Recorded spend (US dollars) since the start of this month, on the instance or by one user. */
export async function monthlySpend(db: Db, who: { userId: string | null } | "instance", now = new Date()) {
  const where = {
    createdAt: { gte: monthStart(now) },
    ...(who === "instance" ? {} : { userId: who.userId }),
  };
  const sum = await db.playgroundRun.aggregate({ where, _sum: { costUsd: true } });
  return sum._sum.costUsd ?? 0;
}

/**
 * The runs page of a prompt: a page of its runs under `filters`, and what the "run a saved
 * version" form needs — the version numbers, and version `use` (default the newest) with the
 * prompt's saved test values typed for its variables.
 */
export async function runsPage(db: Db, slug: string, query: Record<string, string>) {
  const filters = parseInput(runFiltersSchema, query, { message: "The filters are not valid.", malformed: true });
  const use = query.use && /^\d{1,7}$/.test(query.use) ? Number(query.use) : undefined;
  const prompt = await requirePrompt(db, slug);
  const number = use ?? prompt.headVersion;
  const [list, numbers, version, raw] = await Promise.all([
    listRuns(db, prompt.id, filters),
    db.promptVersion.findMany({
      where: { promptId: prompt.id },
      select: { number: true },
      orderBy: { number: "desc" },
      take: 200,
    }),
    number > 0 ? requireVersion(db, prompt.id, number, "use") : null,
    defaultTestValues(db, prompt.id),
  ]);
  return {
    prompt: { slug: prompt.slug, name: prompt.name, headVersion: prompt.headVersion },
    filters,
    ...list,
    versionNumbers: numbers.map((v) => v.number),
    use: version
      ? {
          number: version.number,
          model: version.draft.modelSettings.model,
          values: typedValues(version.draft.variables, raw),
        }
      : null,
  };
}
