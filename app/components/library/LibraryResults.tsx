import { Form, Link, useNavigation } from "@remix-run/react";
import { useEffect, useState } from "react";
import { plural } from "~/components/plural";
import type { LibraryPageData } from "~/models/library-page.server";
import type { Problem } from "~/prompt/problem";
import { BulkActionBar } from "./BulkActionBar";
import { PromptRow } from "./PromptRow";
import { usePublicEnv } from "~/components/usePublicEnv";

/** How many prompts the list shows, "Searching…" while a search loads, and how they are ordered. */
export function ResultsStatus({
  page,
  filtered,
}: {
  page: Pick<LibraryPageData, "items" | "nextCursor" | "rankingSkipped" | "sort">;
  filtered: boolean;
}) {
  const navigation = useNavigation();
  const { items, nextCursor, sort } = page;
  const searching = navigation.state === "loading" && navigation.location?.pathname === "/";
  return (
    <p className="results-status" role="status" aria-live="polite">
      {searching
        ? "Searching…"
        : `${items.length}${nextCursor ? "+" : ""} ${plural(items.length, "prompt", "prompts")}${filtered ? " found" : ""}`}
      {page.rankingSkipped
        ? " — too many matches to rank, sorted by last change; add words to narrow the search."
        : sort === "relevance"
          ? " — best match first"
          : ""}
    </p>
  );
}

/**
 * The library list inside the bulk-action form (the selection is cleared whenever new data
 * arrives), or the empty state when nothing is there or nothing matches.
 */
export function LibraryResults({
  items,
  filtered,
  here,
  problem,
  ok,
  done,
}: {
  items: LibraryPageData["items"];
  filtered: boolean;
  /** This page's URL, where an action returns. */
  here: string;
  problem: Problem | undefined;
  ok: string;
  /** New after every successful bulk action: the bar starts again from "Action…". */
  done: string;
}) {
  const [selected, setSelected] = useState<Set<string>>(new Set());
  useEffect(() => setSelected(new Set()), [items]);
  const exportEnabled = usePublicEnv()?.ENABLE_EXPORT !== false;
  const slugs = items.filter((i) => selected.has(i.id)).map((i) => i.slug);
  const exportHref =
    exportEnabled && slugs.length
      ? `/api/v1/export?${slugs.map((s) => `prompt=${encodeURIComponent(s)}`).join("&")}`
      : null;
  if (items.length === 0)
    return (
      <div className="panel empty-state">
        <h2>{filtered ? "Nothing matches" : "No prompts yet"}</h2>
        <p>
          {filtered
            ? "Try fewer words, another folder or tag, or clear the filters."
            : "Start from a template or a blank page; every save becomes a version you can compare and restore."}
        </p>
        {filtered ? (
          <Link to="/" className="btn">
            Clear filters
          </Link>
        ) : (
          <Link to="/prompts/new" className="btn btn-primary">
            Create your first prompt
          </Link>
        )}
      </div>
    );
  return (
    <Form method="post" className="bulk-form">
      <input type="hidden" name="back" value={here} />
      <BulkActionBar
        key={done}
        selectedCount={selected.size}
        total={items.length}
        onSelectAll={(on) => setSelected(on ? new Set(items.map((i) => i.id)) : new Set())}
        problem={problem}
        ok={ok}
        exportHref={exportHref}
      />
      <ul className="library-list" aria-label="Prompts">
        {items.map((p) => (
          <PromptRow
            key={p.id}
            item={p}
            selected={selected.has(p.id)}
            onSelect={(on) => {
              const next = new Set(selected);
              if (on) next.add(p.id);
              else next.delete(p.id);
              setSelected(next);
            }}
          />
        ))}
      </ul>
    </Form>
  );
}
