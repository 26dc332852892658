import type { LibraryPageData } from "~/models/library-page.server";

export type LibraryQuery = LibraryPageData["query"];

/** Whether the query narrows the list (a search or any filter), which changes the status and empty-state wording. */
export function isFiltered(query: LibraryQuery): boolean {
  return !!(query.q || query.tag || query.folder || query.label || query.favorite);
}

/** The library URL for this query at `cursor` (null: the first page); defaults are left out. */
export function libraryHref(query: LibraryQuery, cursor: string | null): string {
  const p = new URLSearchParams(
    Object.entries({
      q: query.q,
      tag: query.tag,
      folder: query.folder,
      label: query.label,
      favorite: query.favorite ? "1" : "",
      sort: query.sort ?? "",
      limit: query.limit === 30 ? "" : String(query.limit),
    }).filter(([, v]) => v),
  );
  if (cursor) p.set("cursor", cursor);
  const s = p.toString();
  return s ? `/?${s}` : "/";
}
