/**
 * The library query: filter (tag, folder and its subfolders, label, favourite), full-text search,
 * sort (relevance, name, last change, creation) and cursor pagination — one raw SQL query per
 * page for the ids (FTS5 on SQLite, tsvector + GIN on PostgreSQL), then Prisma for the rows shown.
 * Matching, filtering and ordering are the same in both databases (tests/integration/library-search.test.ts).
 */
import { z } from "zod";
import { dbKind, type Db } from "~/server/db.server";
import { ftsMatchExpression, queryWords, tsQueryExpression } from "./search-text";

export { dbKind };
export type DbKind = ReturnType<typeof dbKind>;

import { listQuerySchema } from "~/api/schemas";
import { type Sort } from "./library-constants";
import { CursorError } from "~/prompt/errors";

export { SORT_LABEL, SORTS, type Sort } from "./library-constants";

/** Query parameters of the library page and of GET /api/prompts: one schema, in app/api/schemas.ts. */
export const libraryQuerySchema = listQuerySchema;
export type LibraryQuery = z.output<typeof libraryQuerySchema>;

/** Reads the query from URL search params (empty strings count as absent). */
export function parseLibraryParams(params: URLSearchParams) {
  const raw: Record<string, string> = {};
  for (const key of ["q", "tag", "folder", "label", "favorite", "sort", "cursor", "limit"]) {
    const v = params.get(key);
    if (v !== null && v !== "") raw[key] = v;
  }
  return libraryQuerySchema.safeParse(raw);
}

export function effectiveSort(query: Pick<LibraryQuery, "q" | "sort">): Sort {
  const hasText = queryWords(query.q).length > 0;
  if (!query.sort) return hasText ? "relevance" : "updated";
  if (query.sort === "relevance" && !hasText) return "updated";
  return query.sort;
}

type Cursor = { s: Sort; o: number } | { s: Exclude<Sort, "relevance">; v: string; id: string };

function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify(c)).toString("base64url");
}

const cursorSchema = z.union([
  z.object({ s: z.literal("relevance"), o: z.number().int().min(0).max(100_000) }),
  z.object({ s: z.enum(["updated", "created", "name"]), v: z.string().max(300), id: z.string().max(64) }),
]);

function decodeCursor(raw: string | undefined, sort: Sort): Cursor | null {
  if (!raw) return null;
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(raw, "base64url").toString("utf8"));
  } catch {
    throw new CursorError();
  }
  const parsed = cursorSchema.safeParse(json);
  if (!parsed.success || parsed.data.s !== sort) throw new CursorError();
  return parsed.data;
}

/** A small SQL builder that numbers parameters the way each database wants them. */
class Sql {
  params: unknown[] = [];
  constructor(readonly kind: DbKind) {}
  p(value: unknown): string {
    this.params.push(value);
    return this.kind === "postgres" ? `$${this.params.length}` : "?";
  }
}

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
};

/** Filter conditions on prompt `p` (live prompts only), for both databases. */
function filterConditions(sql: Sql, query: LibraryQuery): string[] {
  const where: string[] = [`p."deletedAt" IS NULL`];
  if (query.favorite) where.push(`p."favorite" = true`);
  if (query.folder) {
    // SQLite numbers "?" by position: push parameters in the order they appear in the text.
    const f = sql.p(query.folder);
    const len = sql.p(query.folder.length + 1);
    const prefix = sql.p(`${query.folder}/`);
    where.push(`p."folderId" IN (SELECT f."id" FROM "Folder" f WHERE f."path" = ${f} OR substr(f."path", 1, ${len}) = ${prefix})`);
  }
  if (query.tag) {
    where.push(`p."id" IN (SELECT pt."promptId" FROM "PromptTag" pt JOIN "Tag" t ON t."id" = pt."tagId" WHERE t."name" = ${sql.p(query.tag.toLowerCase())})`);
  }
  if (query.label) where.push(`p."id" IN (SELECT l."promptId" FROM "Label" l WHERE l."name" = ${sql.p(query.label)})`);
  return where;
}

/** SELECT list, ORDER BY and keyset condition for a column sort. */
function columnSort(sql: Sql, kind: DbKind, sort: Exclude<Sort, "relevance">, cursor: Cursor | null) {
  const col = SORT_COLUMN[sort];
  const asc = sort === "name";
  // Cursor values are the stored values as text: ISO text in SQLite, timestamp text in PostgreSQL.
  const valueText = kind === "sqlite" ? `CAST(p.${col} AS TEXT)` : sort === "name" ? `p.${col}` : `p.${col}::text`;
  const colExpr = kind === "postgres" && sort === "name" ? `p.${col} COLLATE "C"` : `p.${col}`;
  const order = asc ? `${colExpr} ASC, p."id" ASC` : `${colExpr} DESC, p."id" DESC`;
  let keyset: string | null = null;
  if (cursor && "v" in cursor) {
    const cast = kind === "postgres" && sort !== "name" ? "::timestamp" : "";
    const v = `${sql.p(cursor.v)}${cast}`;
    const v2 = `${sql.p(cursor.v)}${cast}`;
    const id = sql.p(cursor.id);
    keyset = asc ? `(${colExpr} > ${v} OR (p.${col} = ${v2} AND p."id" > ${id}))` : `(${colExpr} < ${v} OR (p.${col} = ${v2} AND p."id" < ${id}))`;
  }
  return { select: `p."id" AS id, ${valueText} AS "sortValue"`, order, keyset };
}

function pageOf(rows: IdRow[], plan: Plan, offset: number) {
  const page = rows.slice(0, plan.limit);
  let nextCursor: string | null = null;
  if (rows.length > plan.limit) {
    const last = page[page.length - 1]!;
    nextCursor =
      plan.sort === "relevance" ? encodeCursor({ s: "relevance", o: offset + plan.limit }) : encodeCursor({ s: plan.sort, v: String(last.sortValue), id: last.id });
  }
  return { ids: page.map((r) => r.id), nextCursor };
}

async function countMatches(db: Db, kind: DbKind, words: string[]): Promise<number> {
  if (kind === "sqlite") {
    const rows = await db.$queryRawUnsafe<Array<{ n: number | bigint }>>(`SELECT count(*) AS n FROM prompt_fts WHERE prompt_fts MATCH ?`, ftsMatchExpression(words));
    return Number(rows[0]?.n ?? 0);
  }
  const rows = await db.$queryRawUnsafe<Array<{ n: number | bigint }>>(
    `SELECT count(*) AS n FROM (SELECT 1 FROM "Prompt" p WHERE p."searchVector" @@ to_tsquery('simple', $1) LIMIT ${SEARCH_TUNING.relevanceLimit + 1}) x`,
    tsQueryExpression(words),
  );
  return Number(rows[0]?.n ?? 0);
}

const SORT_INDEX = { updated: "Prompt_deletedAt_updatedAt_idx", created: "Prompt_deletedAt_createdAt_idx", name: "Prompt_deletedAt_name_idx" } as const;

/**
 * SQLite with many matches and a column sort: walk the prompts in sort order (its index) a chunk at
 * a time and keep those whose document matches. The first page of a common word reads a few dozen
 * rows instead of joining and sorting tens of thousands of matches.
 */
async function walkSortOrder(db: Db, query: LibraryQuery, plan: Plan & { sort: Exclude<Sort, "relevance"> }, matches: number) {
  const total = Math.max(1, Number((await db.$queryRawUnsafe<Array<{ n: number | bigint }>>(`SELECT max("docid") AS n FROM "prompt_fts_doc"`))[0]?.n ?? 1));
  const density = Math.max(matches / total, 0.001);
  let chunk = Math.min(5_000, Math.ceil(((plan.limit + 1) / density) * 1.5) + 20);
  const out: IdRow[] = [];
  let cursor = plan.cursor;
  for (;;) {
    const sql = new Sql("sqlite");
    // Parameters in text order: the match (in the outer SELECT list) first.
    const match = sql.p(ftsMatchExpression(plan.words));
    const { select, order, keyset } = columnSort(sql, "sqlite", plan.sort, cursor);
    const where = filterConditions(sql, query);
    if (keyset) where.unshift(keyset);
    const inner = `SELECT ${select}, d."docid" AS docid FROM "Prompt" p INDEXED BY "${SORT_INDEX[plan.sort]}" JOIN "prompt_fts_doc" d ON d."promptId" = p."id" WHERE ${where.join(" AND ")} ORDER BY ${order} LIMIT ${sql.p(chunk)}`;
    const rows = await db.$queryRawUnsafe<Array<IdRow & { matched: number | bigint }>>(
      `SELECT c.id AS id, c."sortValue" AS "sortValue", c.docid IN (SELECT rowid FROM prompt_fts WHERE prompt_fts MATCH ${match}) AS matched FROM (${inner}) c`,
      ...sql.params,
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
  query: LibraryQuery,
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
    cursor = decodeCursor(query.cursor, sort);
  } catch (error) {
    if (rankingSkipped) cursor = null;
    else throw error;
  }
  const plan: Plan = { kind, sort, words, cursor, limit: query.limit };

  if (kind === "sqlite" && words.length && sort !== "relevance" && matches > SEARCH_TUNING.matchFirstLimit) {
    const rows = await walkSortOrder(db, query, { ...plan, sort }, matches);
    return { ...pageOf(rows, plan, 0), sort, rankingSkipped };
  }

  const sql = new Sql(kind);
  let from = `"Prompt" p`;
  let withClause = "";
  let rankExpr = "";
  const extra: string[] = [];
  if (words.length) {
    if (kind === "sqlite") {
      // Matches first, materialised (the planner otherwise drives from a filter and re-runs the
      // match per row); bm25 is lower-is-better.
      const rankCol = sort === "relevance" ? `, bm25(prompt_fts) AS rank` : "";
      withClause = `WITH m AS MATERIALIZED (SELECT d."promptId" AS pid${rankCol} FROM prompt_fts CROSS JOIN "prompt_fts_doc" d ON d."docid" = prompt_fts.rowid WHERE prompt_fts MATCH ${sql.p(ftsMatchExpression(words))}) `;
      from = `m CROSS JOIN "Prompt" p ON p."id" = m.pid`;
      rankExpr = "m.rank";
    } else {
      const tsq = sql.p(tsQueryExpression(words));
      extra.push(`p."searchVector" @@ to_tsquery('simple', ${tsq})`);
      rankExpr = `ts_rank(p."searchVector", to_tsquery('simple', ${tsq}))`;
    }
  }
  const where = [...extra, ...filterConditions(sql, query)];
  let select: string;
  let order: string;
  let offset = 0;
  if (sort === "relevance") {
    offset = cursor && "o" in cursor ? cursor.o : 0;
    select = `p."id" AS id, NULL AS "sortValue"`;
    order = kind === "sqlite" ? `${rankExpr} ASC, p."id" ASC` : `${rankExpr} DESC, p."id" ASC`;
  } else {
    const c = columnSort(sql, kind, sort, cursor);
    select = c.select;
    order = c.order;
    if (c.keyset) where.push(c.keyset);
  }
  const text = `${withClause}SELECT ${select} FROM ${from} WHERE ${where.join(" AND ")} ORDER BY ${order} LIMIT ${sql.p(query.limit + 1)}${offset ? ` OFFSET ${sql.p(offset)}` : ""}`;
  const rows = await db.$queryRawUnsafe<IdRow[]>(text, ...sql.params);
  return { ...pageOf(rows, plan, offset), sort, rankingSkipped };
}

export type LibraryItem = {
  id: string;
  slug: string;
  name: string;
  description: string;
  favorite: boolean;
  folder: string;
  tags: string[];
  labels: Array<{ name: string; version: number; protected: boolean }>;
  headVersion: number;
  createdAt: string;
  updatedAt: string;
  /** Author of the head version; null when accounts are off or the author is gone ("local"). */
  author: string | null;
};

/** The rows of the library for the given ids, in the same order. */
export async function loadLibraryItems(db: Db, ids: string[]): Promise<LibraryItem[]> {
  if (!ids.length) return [];
  const prompts = await db.prompt.findMany({
    where: { id: { in: ids } },
    select: {
      id: true,
      slug: true,
      name: true,
      description: true,
      favorite: true,
      headVersion: true,
      createdAt: true,
      updatedAt: true,
      folder: { select: { path: true } },
      tags: { select: { tag: { select: { name: true } } } },
      labels: { select: { name: true, protected: true, version: { select: { number: true } } }, orderBy: { name: "asc" } },
    },
  });
  const heads = await db.promptVersion.findMany({
    where: { OR: prompts.map((p) => ({ promptId: p.id, number: p.headVersion })) },
    select: { promptId: true, author: { select: { name: true } } },
  });
  const authorOf = new Map(heads.map((h) => [h.promptId, h.author?.name ?? null]));
  const byId = new Map(prompts.map((p) => [p.id, p]));
  return ids
    .map((id) => byId.get(id))
    .filter((p): p is NonNullable<typeof p> => !!p)
    .map((p) => ({
      id: p.id,
      slug: p.slug,
      name: p.name,
      description: p.description,
      favorite: p.favorite,
      folder: p.folder?.path ?? "",
      tags: p.tags.map((t) => t.tag.name).sort(),
      labels: p.labels.map((l) => ({ name: l.name, version: l.version.number, protected: l.protected })),
      headVersion: p.headVersion,
      createdAt: p.createdAt.toISOString(),
      updatedAt: p.updatedAt.toISOString(),
      author: authorOf.get(p.id) ?? null,
    }));
}

export async function listPrompts(db: Db, query: LibraryQuery) {
  const { ids, nextCursor, sort, rankingSkipped } = await queryPromptIds(db, query);
  return { items: await loadLibraryItems(db, ids), nextCursor, sort, rankingSkipped };
}

/** Distinct values by a loose index scan (fast on a large table with an index on the column). */
async function distinctNames(db: Db, table: "Label"): Promise<string[]> {
  const rows = await db.$queryRawUnsafe<Array<{ name: string | null }>>(
    `WITH RECURSIVE n(name) AS (SELECT min("name") FROM "${table}" UNION ALL SELECT (SELECT min(x."name") FROM "${table}" x WHERE x."name" > n.name) FROM n WHERE n.name IS NOT NULL) SELECT name FROM n WHERE name IS NOT NULL LIMIT 200`,
  );
  return rows.map((r) => r.name!).filter(Boolean);
}

/** Values for the filter controls: every tag, folder and label name. */
export async function libraryFacets(db: Db) {
  const [tags, folders, labels] = await Promise.all([
    db.tag.findMany({ select: { name: true }, orderBy: { name: "asc" }, take: 500 }),
    db.folder.findMany({ select: { path: true }, orderBy: { path: "asc" }, take: 1000 }),
    distinctNames(db, "Label"),
  ]);
  const labelSet = new Set(["production", "staging", ...labels]);
  return { tags: tags.map((t) => t.name), folders: folders.map((f) => f.path), labels: [...labelSet] };
}
