import { Link } from "@remix-run/react";
import { libraryHref, type LibraryQuery } from "./library-href";

/** Links to the first page (when not on it) and the next one (when there is one). */
export function LibraryPager({ query, nextCursor }: { query: LibraryQuery; nextCursor: string | null }) {
  const nextHref = nextCursor ? libraryHref(query, nextCursor) : null;
  const firstHref = libraryHref(query, null);
  return (
    <nav className="pager" aria-label="Pages">
      {query.cursor ? (
        <Link to={firstHref} className="btn btn-sm">
          ← First page
        </Link>
      ) : null}
      {nextHref ? (
        <Link to={nextHref} className="btn btn-sm" rel="next">
          Next page →
        </Link>
      ) : null}
    </nav>
  );
}
