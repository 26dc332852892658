/**
 * The library query: filter (tag, folder and its subfolders, label, favourite), full-text search,
 * sort (relevance, name, last change, creation) and cursor pagination — one raw SQL query per
 * page for the ids (FTS5 on SQLite, tsvector + GIN on PostgreSQL), then Prisma for the rows shown.
 * Matching, filtering and ordering are the same in both databases (tests/integration/library-search.test.ts).
 */
import { z } from "zod";
import { Prisma } from "~/generated/sqlite/client";
import { dbKind, type Db } from "~/server/db.server";
import { promptSummarySelect, toPromptSummary, type PromptSummary } from "./prompt-summary.server";
import { ftsMatchExpression, queryWords, tsQueryExpression } from "~/library/search-text";

export { dbKind };
export type DbKind = ReturnType<typeof dbKind>;

// Query parameters of the library page and of GET /api/v1/prompts: one schema, in app/api/schemas.ts.
import { listQuerySchema, queryObject, type ListQuery } from "~/api/schemas";
import { effectiveSort } from "~/library/sort";
import { type Sort } from "~/library/constants";
import { CursorError } from "~/prompt/errors";
import { findNul } from "~/prompt/text";

export { SORT_LABEL, SORTS, type Sort } from "~/library/constants";

/** Reads the query from URL search params (empty strings count as absent). */
export function parseLibraryParams(params: URLSearchParams) {
  return listQuerySchema.safeParse(queryObject(params, listQuerySchema.keyof().options, true));
}

type Cursor = { s: Sort; o: number } | { s: Exclude<Sort, "relevance">; v: string; id: string };

function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify(c)).toString("base64url");
}

const cursorSchema = z.union([
  z.object({ s: z.literal("relevance"), o: z.number().int().min(0).max(100_000) }),
  z.object({ s: z.enum(["updated", "created", "name"]), v: z.string().max(300), id: z.string().max(64) }),
]);

// PostgreSQL's timestamp text ("2026-11-30 10:01:02.345"), the only value a date cursor it made holds.
const PG_TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})(\.\d{1,6})?$/;

function isPgTimestamp(v: string): boolean {
  const m = PG_TIMESTAMP.exec(v);
  if (!m) return false;
  const [y, mo, d, h, mi, se] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const date = new Date(Date.UTC(y, mo - 1, d, h, mi, se));
  // Rolled over (Feb 30, 25:00) means PostgreSQL would refuse it.
  return (
    date.getUTCFullYear() === y &&
    date.getUTCMonth() === mo - 1 &&
    date.getUTCDate() === d &&
    date.getUTCHours() === h &&
    date.getUTCMinutes() === mi &&
    date.getUTCSeconds() === se
  );
}

/**
 * A cursor this query could have handed out, else a CursorError (400 naming `cursor`): its values
 * go into SQL, so a tampered one must not reach PostgreSQL as a bad timestamp or a NUL.
 */
function decodeCursor(raw: string | undefined, sort: Sort, kind: DbKind): Cursor | null {
  if (!raw) return null;
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(raw, "base64url").toString("utf8"));
  } catch {
    throw new CursorError();
  }
  const parsed = cursorSchema.safeParse(json);
  if (!parsed.success || parsed.data.s !== sort) throw new CursorError();
  const c = parsed.data;
  if ("v" in c) {
    if (findNul(c)) throw new CursorError();
    if (kind === "postgres" && c.s !== "name" && !isPgTimestamp(c.v)) throw new CursorError();
  }
  return c;
}

// Prisma's tagged template places each parameter as the database wants it ("?" in SQLite, "$n" in
// PostgreSQL); identifiers and keywords that vary go in through Prisma.raw from fixed tables only.
const { sql, join, raw, empty } = Prisma;
type Sql = Prisma.Sql;

const SORT_COLUMN = { updated: `"updatedAt"`, created: `"createdAt"`, name: `"name"` } as const;

type IdRow = { id: string; sortValue: string | null };

/**
 * Matches beyond which "best match" is not computed: ranking tens of thousands of matches costs
 * more than it tells (a one- or two-letter prefix matches almost everything while typing). Such a
 * search is ordered by last change instead, in both databases, and the page says so.
 */
export const SEARCH_TUNING = {
  relevanceLimit: 10_000,
  /** SQLite: up to this many matches, join the matches to the prompts; above, walk the sort order. */
  matchFirstLimit: 5_000,
};

type Plan = {
  kind: DbKind;
  sort: Sort;
  words: string[];
  cursor: Cursor | null;
  limit: number;
  visibleTo: VisibleTo;
};

/** Whose private prompts a list may show: null = every prompt (an admin, or single-user mode). */
export type VisibleTo = { userId: string } | null;

/** Filter conditions on prompt `p` (live prompts only, and only those the reader may see), for both databases. */
function filterConditions(query: ListQuery, visibleTo: VisibleTo): Sql[] {
  const where: Sql[] = [sql`p."deletedAt" IS NULL`];
  if (visibleTo) where.push(sql`(p."visibility" <> 'private' OR p."ownerId" = ${visibleTo.userId})`);
  if (query.favorite) where.push(sql`p."favorite" = true`);
  if (query.folder) {
    where.push(
      sql`p."folderId" IN (SELECT f."id" FROM "Folder" f WHERE f."path" = ${query.folder} OR substr(f."path", 1, ${query.folder.length + 1}) = ${`${query.folder}/`})`,
    );
  }
  if (query.tag) {
    where.push(
      sql`p."id" IN (SELECT pt."promptId" FROM "PromptTag" pt JOIN "Tag" t ON t."id" = pt."tagId" WHERE t."name" = ${query.tag.toLowerCase()})`,
    );
  }
  if (query.label) where.push(sql`p."id" IN (SELECT l."promptId" FROM "Label" l WHERE l."name" = ${query.label})`);
  return where;
}

/** SELECT list, ORDER BY and keyset condition for a column sort. */
function columnSort(kind: DbKind, sort: Exclude<Sort, "relevance">, cursor: Cursor | null) {
  const col = SORT_COLUMN[sort];
  const asc = sort === "name";
  // Cursor values are the stored values as text: ISO text in SQLite, timestamp text in PostgreSQL.
  const valueText = raw(kind === "sqlite" ? `CAST(p.${col} AS TEXT)` : sort === "name" ? `p.${col}` : `p.${col}::text`);
  const colText = kind === "postgres" && sort === "name" ? `p.${col} COLLATE "C"` : `p.${col}`;
  const colExpr = raw(colText);
  const order = raw(asc ? `${colText} ASC, p."id" ASC` : `${colText} DESC, p."id" DESC`);
  let keyset: Sql | null = null;
  if (cursor && "v" in cursor) {
    const value = sql`${cursor.v}${raw(kind === "postgres" && sort !== "name" ? "::timestamp" : "")}`;
    const column = raw(`p.${col}`);
    keyset = asc
      ? sql`(${colExpr} > ${value} OR (${column} = ${value} AND p."id" > ${cursor.id}))`
      : sql`(${colExpr} < ${value} OR (${column} = ${value} AND p."id" < ${cursor.id}))`;
  }
  return { select: sql`p."id" AS id, ${valueText} AS "sortValue"`, order, keyset };
}

function pageOf(rows: IdRow[], plan: Plan, offset: number) {
  const page = rows.slice(0, plan.limit);
  let nextCursor: string | null = null;
  if (rows.length > plan.limit) {
    const last = page[page.length - 1]!;
    nextCursor =
      plan.sort === "relevance"
        ? encodeCursor({ s: "relevance", o: offset + plan.limit })
        : encodeCursor({ s: plan.sort, v: String(last.sortValue), id: last.id });
  }
  return { ids: page.map((r) => r.id), nextCursor };
}

async function countMatches(db: Db, kind: DbKind, words: string[]): Promise<number> {
  if (kind === "sqlite") {
    const rows = await db.$queryRaw<Array<{ n: number | bigint }>>(
      sql`SELECT count(*) AS n FROM prompt_fts WHERE prompt_fts MATCH ${ftsMatchExpression(words)}`,
    );
    return Number(rows[0]?.n ?? 0);
  }
  const rows = await db.$queryRaw<Array<{ n: number | bigint }>>(
    sql`SELECT count(*) AS n FROM (SELECT 1 FROM "Prompt" p WHERE p."searchVector" @@ to_tsquery('simple', ${tsQueryExpression(words)}) LIMIT ${raw(String(SEARCH_TUNING.relevanceLimit + 1))}) x`,
  );
  return Number(rows[0]?.n ?? 0);
}

const SORT_INDEX = {
  updated: "Prompt_deletedAt_updatedAt_idx",
  created: "Prompt_deletedAt_createdAt_idx",
  name: "Prompt_deletedAt_name_idx",
} as const;

/**
 * SQLite with many matches and a column sort: walk the prompts in sort order (its index) a chunk at
 * a time and keep those whose document matches. The first page of a common word reads a few dozen
 * rows instead of joining and sorting tens of thousands of matches.
 */
async function walkSortOrder(
  db: Db,
  query: ListQuery,
  plan: Plan & { sort: Exclude<Sort, "relevance"> },
  matches: number,
) {
  const total = Math.max(
    1,
    Number(
      (await db.$queryRaw<Array<{ n: number | bigint }>>(sql`SELECT max("docid") AS n FROM "prompt_fts_doc"`))[0]?.n ??
        1,
    ),
  );
  const density = Math.max(matches / total, 0.001);
  let chunk = Math.min(5_000, Math.ceil(((plan.limit + 1) / density) * 1.5) + 20);
  const out: IdRow[] = [];
  let cursor = plan.cursor;
  for (;;) {
    const { select, order, keyset } = columnSort("sqlite", plan.sort, cursor);
    const where = filterConditions(query, plan.visibleTo);
    if (keyset) where.unshift(keyset);
    const inner = sql`SELECT ${select}, d."docid" AS docid FROM "Prompt" p INDEXED BY ${raw(`"${SORT_INDEX[plan.sort]}"`)} JOIN "prompt_fts_doc" d ON d."promptId" = p."id" WHERE ${join(where, " AND ")} ORDER BY ${order} LIMIT ${chunk}`;
    const rows = await db.$queryRaw<Array<IdRow & { matched: number | bigint }>>(
      sql`SELECT c.id AS id, c."sortValue" AS "sortValue", c.docid IN (SELECT rowid FROM prompt_fts WHERE prompt_fts MATCH ${ftsMatchExpression(plan.words)}) AS matched FROM (${inner}) c`,
    );
    for (const r of rows) {
      if (Number(r.matched)) out.push({ id: r.id, sortValue: r.sortValue });
      if (out.length > plan.limit) return out;
    }
    if (rows.length < chunk) return out;
    const last = rows[rows.length - 1]!;
    cursor = { s: plan.sort, v: String(last.sortValue), id: last.id };
    chunk = Math.min(chunk * 4, 20_000);
  }
}

/** The ids of one page, in order, and the cursor of the next page (null on the last page). */
export async function queryPromptIds(
  db: Db,
  query: ListQuery,
  visibleTo: VisibleTo = null,
): Promise<{ ids: string[]; nextCursor: string | null; sort: Sort; rankingSkipped: boolean }> {
  const kind = dbKind(db);
  let sort = effectiveSort(query);
  const words = queryWords(query.q);
  let rankingSkipped = false;
  let matches = 0;
  if (words.length) {
    matches = await countMatches(db, kind, words);
    if (matches === 0) return { ids: [], nextCursor: null, sort, rankingSkipped };
    if (sort === "relevance" && matches > SEARCH_TUNING.relevanceLimit) {
      sort = "updated";
      rankingSkipped = true;
    }
  }
  // A cursor from a ranked page does not fit a page ordered by last change, and vice versa.
  let cursor: Cursor | null;
  try {
    cursor = decodeCursor(query.cursor, sort, kind);
  } catch (error) {
    if (rankingSkipped) cursor = null;
    else throw error;
  }
  const plan: Plan = { kind, sort, words, cursor, limit: query.limit, visibleTo };

  if (kind === "sqlite" && words.length && sort !== "relevance" && matches > SEARCH_TUNING.matchFirstLimit) {
    const rows = await walkSortOrder(db, query, { ...plan, sort }, matches);
    return { ...pageOf(rows, plan, 0), sort, rankingSkipped };
  }

  let from = sql`"Prompt" p`;
  let withClause = empty;
  let rankExpr = empty;
  const extra: Sql[] = [];
  if (words.length) {
    if (kind === "sqlite") {
      // Matches first, materialised (the planner otherwise drives from a filter and re-runs the
      // match per row); bm25 is lower-is-better.
      const rankCol = sort === "relevance" ? sql`, bm25(prompt_fts) AS rank` : empty;
      withClause = sql`WITH m AS MATERIALIZED (SELECT d."promptId" AS pid${rankCol} FROM prompt_fts CROSS JOIN "prompt_fts_doc" d ON d."docid" = prompt_fts.rowid WHERE prompt_fts MATCH ${ftsMatchExpression(words)}) `;
      from = sql`m CROSS JOIN "Prompt" p ON p."id" = m.pid`;
      rankExpr = sql`m.rank`;
    } else {
      const tsq = tsQueryExpression(words);
      extra.push(sql`p."searchVector" @@ to_tsquery('simple', ${tsq})`);
      rankExpr = sql`ts_rank(p."searchVector", to_tsquery('simple', ${tsq}))`;
    }
  }
  const where = [...extra, ...filterConditions(query, visibleTo)];
  let select: Sql;
  let order: Sql;
  let offset = 0;
  if (sort === "relevance") {
    offset = cursor && "o" in cursor ? cursor.o : 0;
    select = sql`p."id" AS id, NULL AS "sortValue"`;
    order = kind === "sqlite" ? sql`${rankExpr} ASC, p."id" ASC` : sql`${rankExpr} DESC, p."id" ASC`;
  } else {
    const c = columnSort(kind, sort, cursor);
    select = c.select;
    order = c.order;
    if (c.keyset) where.push(c.keyset);
  }
  const rows = await db.$queryRaw<IdRow[]>(
    sql`${withClause}SELECT ${select} FROM ${from} WHERE ${join(where, " AND ")} ORDER BY ${order} LIMIT ${query.limit + 1}${offset ? sql` OFFSET ${offset}` : empty}`,
  );
  return { ...pageOf(rows, plan, offset), sort, rankingSkipped };
}

export type LibraryItem = PromptSummary & {
  /** Author of the head version; null when accounts are off or the author is gone ("local"). */
  author: string | null;
};

/** The rows of the library for the given ids, in the same order. */
export async function loadLibraryItems(db: Db, ids: string[]): Promise<LibraryItem[]> {
  if (!ids.length) return [];
  const prompts = await db.prompt.findMany({ where: { id: { in: ids } }, select: promptSummarySelect });
  const heads = await db.promptVersion.findMany({
    where: { OR: prompts.map((p) => ({ promptId: p.id, number: p.headVersion })) },
    select: { promptId: true, author: { select: { name: true } } },
  });
  const authorOf = new Map(heads.map((h) => [h.promptId, h.author?.name ?? null]));
  const byId = new Map(prompts.map((p) => [p.id, p]));
  return ids
    .map((id) => byId.get(id))
    .filter((p): p is NonNullable<typeof p> => !!p)
    .map((p) => ({ ...toPromptSummary(p), author: authorOf.get(p.id) ?? null }));
}

export async function listPrompts(db: Db, query: ListQuery, visibleTo: VisibleTo = null) {
  const { ids, nextCursor, sort, rankingSkipped } = await queryPromptIds(db, query, visibleTo);
  return { items: await loadLibraryItems(db, ids), nextCursor, sort, rankingSkipped };
}

/** Distinct values by a loose index scan (fast on a large table with an index on the column). */
async function distinctNames(db: Db, table: "Label"): Promise<string[]> {
  const t = raw(`"${table}"`);
  const rows = await db.$queryRaw<Array<{ name: string | null }>>(
    sql`WITH RECURSIVE n(name) AS (SELECT min("name") FROM ${t} UNION ALL SELECT (SELECT min(x."name") FROM ${t} x WHERE x."name" > n.name) FROM n WHERE n.name IS NOT NULL) SELECT name FROM n WHERE name IS NOT NULL LIMIT 200`,
  );
  return rows.map((r) => r.name!).filter(Boolean);
}

/**
 * Values for the filter controls: every tag, folder and label name. For a reader who may not see
 * every prompt (visibleTo), tags and folders that only other users' private prompts use are left
 * out; unused tags and empty folders stay.
 */
export async function libraryFacets(db: Db, visibleTo: VisibleTo = null) {
  const [tags, folders, labels] = await Promise.all([
    db.tag.findMany({ select: { id: true, name: true }, orderBy: { name: "asc" }, take: 500 }),
    db.folder.findMany({ select: { id: true, path: true }, orderBy: { path: "asc" }, take: 1000 }),
    distinctNames(db, "Label"),
  ]);
  const labelSet = new Set(["production", "staging", ...labels]);
  if (!visibleTo) return { tags: tags.map((t) => t.name), folders: folders.map((f) => f.path), labels: [...labelSet] };
  const visible = { deletedAt: null, OR: [{ visibility: { not: "private" } }, { ownerId: visibleTo.userId }] };
  const hiddenOnly = { deletedAt: null, visibility: "private", NOT: { ownerId: visibleTo.userId } };
  const [seenTags, hiddenTags, seenFolders, hiddenFolders] = await Promise.all([
    db.promptTag.findMany({ where: { prompt: visible }, select: { tagId: true }, distinct: ["tagId"] }),
    db.promptTag.findMany({ where: { prompt: hiddenOnly }, select: { tagId: true }, distinct: ["tagId"] }),
    db.prompt.findMany({
      where: { ...visible, NOT: { folderId: null } },
      select: { folderId: true },
      distinct: ["folderId"],
    }),
    db.prompt.findMany({
      where: { ...hiddenOnly, NOT: { folderId: null } },
      select: { folderId: true },
      distinct: ["folderId"],
    }),
  ]);
  const seenTag = new Set(seenTags.map((r) => r.tagId));
  const hiddenTag = new Set(hiddenTags.map((r) => r.tagId));
  const pathOf = new Map(folders.map((f) => [f.id, f.path]));
  const paths = (rows: Array<{ folderId: string | null }>) =>
    rows.map((r) => pathOf.get(r.folderId ?? "")).filter((p): p is string => p !== undefined);
  const within = (folder: string, path: string) => path === folder || path.startsWith(`${folder}/`);
  const seen = paths(seenFolders);
  const hidden = paths(hiddenFolders);
  return {
    tags: tags.filter((t) => seenTag.has(t.id) || !hiddenTag.has(t.id)).map((t) => t.name),
    // A folder shows when a visible prompt is in it (or below), or no hidden one is.
    folders: folders
      .filter((f) => seen.some((p) => within(f.path, p)) || !hidden.some((p) => within(f.path, p)))
      .map((f) => f.path),
    labels: [...labelSet],
  };
}
