import { Form, Link, useSubmit } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { ProblemField } from "../ProblemField";
import { SORT_LABEL, SORTS } from "~/library/constants";
import type { LibraryPageData } from "~/models/library-page.server";
import type { LibraryQuery } from "./library-href";

function useDebouncedSubmit(delay = 250) {
  const submit = useSubmit();
  const timer = useRef<ReturnType<typeof setTimeout>>();
  useEffect(() => () => clearTimeout(timer.current), []);
  return (form: HTMLFormElement, immediate = false) => {
    clearTimeout(timer.current);
    const go = () => {
      const params = new URLSearchParams();
      for (const [k, v] of new FormData(form)) if (typeof v === "string" && v !== "") params.set(k, v);
      submit(params, { method: "get", action: "/", replace: true, preventScrollReset: true });
    };
    if (immediate) go();
    else timer.current = setTimeout(go, delay);
  };
}

/**
 * The library's search and filter form: a plain GET form without JavaScript; with it, typing
 * searches after a pause and a select or checkbox searches at once.
 */
export function LibraryFilters({
  query,
  facets,
  issues,
  filtered,
}: {
  query: LibraryQuery;
  facets: LibraryPageData["facets"];
  issues: LibraryPageData["issues"];
  filtered: boolean;
}) {
  const debounced = useDebouncedSubmit();
  // The search box is uncontrolled: what the user types is never overwritten by a search that
  // lands meanwhile (nor by hydration). It follows the URL only when it does not have focus
  // (back/forward, links that change the query).
  const searchInput = useRef<HTMLInputElement>(null);
  useEffect(() => {
    const input = searchInput.current;
    if (input && document.activeElement !== input && input.value !== query.q) input.value = query.q;
  }, [query.q]);
  // Typed before the page became interactive: search for it now rather than at the next keystroke.
  useEffect(() => {
    const input = searchInput.current;
    if (input?.form && input.value !== query.q) debounced(input.form);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- once, after hydration
  }, []);
  return (
    <Form
      method="get"
      action="/"
      role="search"
      className="library-filters panel"
      onChange={(e) =>
        debounced(
          e.currentTarget,
          (e.target as HTMLElement).tagName === "SELECT" || (e.target as HTMLInputElement).type === "checkbox",
        )
      }
    >
      <ProblemField
        id="q"
        label="Search"
        className="field-search"
        error={issues.find((i) => i.path[0] === "q")?.message}
      >
        {(aria) => (
          <input
            id="q"
            name="q"
            type="search"
            ref={searchInput}
            defaultValue={query.q}
            placeholder="Names, descriptions and section text"
            autoComplete="off"
            {...aria}
          />
        )}
      </ProblemField>
      <div className="field">
        <label htmlFor="tag">Tag</label>
        <select id="tag" name="tag" defaultValue={query.tag} key={`tag-${query.tag}`}>
          <option value="">Any tag</option>
          {facets.tags.map((t) => (
            <option key={t}>{t}</option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="folder">Folder</label>
        <select id="folder" name="folder" defaultValue={query.folder} key={`folder-${query.folder}`}>
          <option value="">Any folder</option>
          {facets.folders.map((f) => (
            <option key={f}>{f}</option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="label">Label</label>
        <select id="label" name="label" defaultValue={query.label} key={`label-${query.label}`}>
          <option value="">Any label</option>
          {facets.labels.map((l) => (
            <option key={l}>{l}</option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="sort">Sort</label>
        <select id="sort" name="sort" defaultValue={query.sort ?? ""} key={`sort-${query.sort}`}>
          <option value="">{query.q ? "Best match" : "Last change"} (default)</option>
          {SORTS.filter((s) => s !== "relevance" || query.q).map((s) => (
            <option key={s} value={s}>
              {SORT_LABEL[s]}
            </option>
          ))}
        </select>
      </div>
      <label className="checkbox-field">
        <input
          type="checkbox"
          name="favorite"
          value="1"
          defaultChecked={query.favorite}
          key={`fav-${query.favorite}`}
        />{" "}
        Favourites only
      </label>
      <div className="filter-actions">
        <button type="submit" className="btn">
          Search
        </button>
        {filtered ? (
          <Link to="/" className="btn btn-ghost">
            Clear
          </Link>
        ) : null}
      </div>
    </Form>
  );
}
