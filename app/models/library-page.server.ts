/**
 * Everything the library page shows for a URL: the page of prompts, the next cursor and the
 * filter values. The route's loader is this function; the bench times it.
 */
import type { Db } from "~/server/db.server";
import type { ListQuery } from "~/api/schemas";
import { CursorError } from "~/prompt/errors";
import {
  libraryFacets,
  listPrompts,
  parseLibraryParams,
  type LibraryItem,
  type Sort,
  type VisibleTo,
} from "./library.server";
import type { Issue } from "~/prompt/problem";
import { zodIssues } from "~/prompt/zod-issues";

type Facets = Awaited<ReturnType<typeof libraryFacets>>;

// Filter values change rarely and cost a few queries: keep them for a few seconds per client.
const FACETS_TTL_MS = 5_000;
const facetCache = new WeakMap<Db, { at: number; value: Promise<Facets> }>();

export function invalidateFacets(db: Db) {
  facetCache.delete(db);
}

export function cachedFacets(db: Db, now = Date.now()): Promise<Facets> {
  const hit = facetCache.get(db);
  if (hit && now - hit.at < FACETS_TTL_MS) return hit.value;
  const value = libraryFacets(db);
  facetCache.set(db, { at: now, value });
  value.catch(() => facetCache.delete(db));
  return value;
}

export type LibraryPageData = {
  query: Omit<ListQuery, "cursor"> & { cursor: string | null };
  sort: Sort;
  /** True when the search matched too many prompts to rank; they are ordered by last change. */
  rankingSkipped: boolean;
  items: LibraryItem[];
  nextCursor: string | null;
  facets: Facets;
  /** Problems with the query string, shown next to the filter they belong to. */
  issues: Issue[];
};

export async function libraryPage(db: Db, url: URL, visibleTo: VisibleTo = null): Promise<LibraryPageData> {
  const parsed = parseLibraryParams(url.searchParams);
  const issues: LibraryPageData["issues"] = [];
  let query: ListQuery;
  if (parsed.success) query = parsed.data;
  else {
    issues.push(...zodIssues(parsed.error));
    // Drop what is wrong, keep the rest.
    const bad = new Set(parsed.error.issues.map((i) => String(i.path[0])));
    const cleaned = new URLSearchParams([...url.searchParams].filter(([k]) => !bad.has(k)));
    const again = parseLibraryParams(cleaned);
    query = again.success ? again.data : parseLibraryParams(new URLSearchParams()).data!;
  }
  // Everyone-visible facets are cached; a reader limited to some prompts gets their own.
  const facetsPromise = visibleTo ? libraryFacets(db, visibleTo) : cachedFacets(db);
  let result: Awaited<ReturnType<typeof listPrompts>>;
  try {
    result = await listPrompts(db, query, visibleTo);
  } catch (error) {
    if (!(error instanceof CursorError)) throw error;
    issues.push({ path: ["cursor"], message: error.message });
    query = { ...query, cursor: undefined };
    result = await listPrompts(db, query, visibleTo);
  }
  const { cursor, ...rest } = query;
  return {
    query: { ...rest, cursor: cursor ?? null },
    sort: result.sort,
    rankingSkipped: result.rankingSkipped,
    items: result.items,
    nextCursor: result.nextCursor,
    facets: await facetsPromise,
    issues,
  };
}
