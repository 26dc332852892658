/**
 * The library query: filter (tag, folder and its subfolders, label, favourite), full-text search,
 * sort (relevance, name, last change, creation) and cursor pagination — one raw SQL query per
 * page for the ids (FTS5 on SQLite, tsvector + GIN on PostgreSQL), then Prisma for the rows shown.
 * Matching, filtering and ordering are the same in both databases (tests/integration/library-search.test.ts).
 */
import { z } from "zod";
import type { Db } from "~/db.server";
import { ftsMatchExpression, queryWords, tsQueryExpression } from "./search-text";

export type DbKind = "sqlite" | "postgres";

/** Which database a client talks to (the app and the tests may hold clients of both kinds). */
export function dbKind(db: Db): DbKind {
  const provider = (db as unknown as { _activeProvider?: string })._activeProvider;
  return provider === "postgresql" ? "postgres" : "sqlite";
}

export const SORTS = ["relevance", "updated", "created", "name"] as const;
export type Sort = (typeof SORTS)[number];
export const SORT_LABEL: Record<Sort, string> = {
  relevance: "Best match",
  updated: "Last change",
  created: "Newest",
  name: "Name",
};

const folderPath = z
  .string()
  .trim()
  .max(200)
  .refine((p) => p === "" || p.split("/").every((part) => part !== "" && part !== "." && part !== ".."), {
    message: 'must be a path like "support/email" without empty, "." or ".." parts',
  });

/** Query parameters of the library page and of GET /api/prompts. */
export const libraryQuerySchema = z.object({
  q: z.string().max(200, "must be at most 200 characters").default(""),
  tag: z.string().trim().max(40).default(""),
  folder: folderPath.default(""),
  label: z.string().trim().max(40).default(""),
  favorite: z
    .union([z.boolean(), z.enum(["1", "true", "on", "0", "false", ""])])
    .default(false)
    .transform((v) => v === true || v === "1" || v === "true" || v === "on"),
  sort: z.enum(SORTS).optional(),
  cursor: z.string().max(500).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(30),
});
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

export class CursorError extends Error {
  constructor() {
    super("The page cursor is not valid for this query; start again from the first page.");
    this.name = "CursorError";
  }
}

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

/** The ids of one page, in order, and the cursor of the next page (null on the last page). */
export async function queryPromptIds(db: Db, query: LibraryQuery): Promise<{ ids: string[]; nextCursor: string | null; sort: Sort }> {
  const kind = dbKind(db);
  const sort = effectiveSort(query);
  const cursor = decodeCursor(query.cursor, sort);
  const words = queryWords(query.q);
  const sql = new Sql(kind);
  const where: string[] = [`p."deletedAt" IS NULL`];
  let from = `"Prompt" p`;
  let rankExpr = "";

  if (words.length) {
    if (kind === "sqlite") {
      // Matching document ids → prompt ids; bm25 is lower-is-better.
      const rankCol = sort === "relevance" ? `, bm25(prompt_fts) AS rank` : "";
      from = `(SELECT d."promptId" AS pid${rankCol} FROM prompt_fts JOIN "prompt_fts_doc" d ON d."docid" = prompt_fts.rowid WHERE prompt_fts MATCH ${sql.p(ftsMatchExpression(words))}) m JOIN "Prompt" p ON p."id" = m.pid`;
      rankExpr = "m.rank";
    } else {
      const tsq = sql.p(tsQueryExpression(words));
      where.push(`p."searchVector" @@ to_tsquery('simple', ${tsq})`);
      rankExpr = `ts_rank(p."searchVector", to_tsquery('simple', ${tsq}))`;
    }
  }
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

  const limit = query.limit;
  let select: string;
  let order: string;
  let offset = 0;
  if (sort === "relevance") {
    offset = cursor && "o" in cursor ? cursor.o : 0;
    select = `p."id" AS id, NULL AS "sortValue"`;
    order = kind === "sqlite" ? `${rankExpr} ASC, p."id" ASC` : `${rankExpr} DESC, p."id" ASC`;
  } else {
    const col = SORT_COLUMN[sort];
    const asc = sort === "name";
    // Cursor values are the stored values as text: ISO text in SQLite, timestamp text in PostgreSQL.
    const valueText = kind === "sqlite" ? `CAST(p.${col} AS TEXT)` : sort === "name" ? `p.${col}` : `p.${col}::text`;
    const colExpr = kind === "postgres" && sort === "name" ? `p.${col} COLLATE "C"` : `p.${col}`;
    select = `p."id" AS id, ${valueText} AS "sortValue"`;
    order = asc ? `${colExpr} ASC, p."id" ASC` : `${colExpr} DESC, p."id" DESC`;
    if (cursor && "v" in cursor) {
      const v = kind === "postgres" && sort !== "name" ? `${sql.p(cursor.v)}::timestamp` : sql.p(cursor.v);
      const v2 = kind === "postgres" && sort !== "name" ? `${sql.p(cursor.v)}::timestamp` : sql.p(cursor.v);
      const id = sql.p(cursor.id);
      where.push(asc ? `(${colExpr} > ${v} OR (p.${col} = ${v2} AND p."id" > ${id}))` : `(${colExpr} < ${v} OR (p.${col} = ${v2} AND p."id" < ${id}))`);
    }
  }
  const text = `SELECT ${select} FROM ${from} WHERE ${where.join(" AND ")} ORDER BY ${order} LIMIT ${sql.p(limit + 1)}${offset ? ` OFFSET ${sql.p(offset)}` : ""}`;
  const rows = await db.$queryRawUnsafe<IdRow[]>(text, ...sql.params);
  const page = rows.slice(0, limit);
  let nextCursor: string | null = null;
  if (rows.length > limit) {
    const last = page[page.length - 1]!;
    nextCursor =
      sort === "relevance"
        ? encodeCursor({ s: "relevance", o: offset + limit })
        : encodeCursor({ s: sort, v: String(last.sortValue), id: last.id });
  }
  return { ids: page.map((r) => r.id), nextCursor, sort };
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
  const { ids, nextCursor, sort } = await queryPromptIds(db, query);
  return { items: await loadLibraryItems(db, ids), nextCursor, sort };
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
