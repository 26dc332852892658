/** Which order a library query gets. Pure: the page and the API share it. */
import type { Sort } from "./constants";
import { queryWords } from "./search-text";

/** Best match needs search words; without a sort asked for, a search ranks and a listing shows the latest changes first. */
export function effectiveSort(query: { q: string; sort?: Sort }): Sort {
  const hasText = queryWords(query.q).length > 0;
  if (!query.sort) return hasText ? "relevance" : "updated";
  if (query.sort === "relevance" && !hasText) return "updated";
  return query.sort;
}
