/**
 * The library: every prompt with its details; filter by tag, folder, label and favourite; sort;
 * full-text search as you type (debounced) — and as a plain GET form without JavaScript. The URL
 * holds the query. Selections get bulk actions (tag, untag, move, trash).
 */
import {
  data,
  redirect,
  type ActionFunctionArgs,
  type LinksFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSubmit } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import { z } from "zod";
import { plural } from "~/components/plural";
import { FavoriteForm, PromptRow } from "~/components/library/PromptRow";
import { getDb } from "~/server/db.server";
import { libraryPage } from "~/models/library-page.server";
import { SORT_LABEL, SORTS } from "~/library/constants";
import { createFolder, movePrompts, setFavorite, tagPrompts, trashPrompts } from "~/models/organize.server";
import { InvalidError } from "~/prompt/errors";
import { issueFor } from "~/components/issue-for";
import { parseInput } from "~/prompt/zod-issues";
import { pageAction, parseIntent } from "~/server/http/problem.server";
import libraryStyles from "~/styles/library.css";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: libraryStyles }];

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.query.q ? `“${data.query.q}” · ` : ""}Library · Prompt Builder` },
];

export async function loader({ request }: LoaderFunctionArgs) {
  return libraryPage(getDb(), new URL(request.url));
}

export async function action({ request }: ActionFunctionArgs) {
  const db = getDb();
  const form = await request.formData();
  const back = String(form.get("back") ?? "/");
  const backTo = back.startsWith("/") && !back.startsWith("//") ? back : "/";
  return pageAction(async () => {
    switch (parseIntent(form, ["favorite", "create-folder", "bulk"] as const)) {
      case "favorite": {
        // Built here, not at module level: this module is in the browser bundle too, and building a
        // zod object there probes `new Function` (a CSP report).
        const favoriteSchema = z.object({
          id: z.string().min(1).max(64),
          favorite: z.enum(["0", "1"]).transform((v) => v === "1"),
        });
        const { id, favorite } = parseInput(
          favoriteSchema,
          { id: form.get("id"), favorite: form.get("favorite") },
          { malformed: true },
        );
        await setFavorite(db, id, favorite);
        return redirect(backTo);
      }
      case "create-folder": {
        const path = await createFolder(db, form.get("path"));
        return redirect(`/?folder=${encodeURIComponent(path)}`);
      }
      case "bulk": {
        const ids = form.getAll("ids").map(String);
        const op = String(form.get("op") ?? "");
        const value = String(form.get("value") ?? "");
        const prompts = (n: number) => `${n} ${plural(n, "prompt", "prompts")}`;
        if (op === "tag" || op === "untag") {
          await tagPrompts(
            db,
            ids,
            value
              .split(",")
              .map((t) => t.trim())
              .filter(Boolean),
            op === "tag" ? "add" : "remove",
          );
          return data({ ok: `${op === "tag" ? "Tagged" : "Untagged"} ${prompts(ids.length)}.` });
        }
        if (op === "move") {
          const moved = await movePrompts(db, ids, value);
          return data({ ok: `Moved ${prompts(moved.moved)} to ${moved.folder || "no folder"}.` });
        }
        if (op === "trash") {
          const n = await trashPrompts(db, ids);
          return data({ ok: `Moved ${prompts(n)} to the trash.` });
        }
        throw new InvalidError(
          "Choose what to do with the selection.",
          [{ path: ["op"], message: "Choose an action" }],
          { malformed: true },
        );
      }
    }
  });
}

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

function Folders({ folders, current }: { folders: string[]; current: string }) {
  return (
    <nav aria-label="Folders" className="folder-tree">
      <h2 className="sidebar-title">Folders</h2>
      <ul>
        <li>
          <Link to="/" className={!current ? "active" : undefined} aria-current={!current ? "page" : undefined}>
            All prompts
          </Link>
        </li>
        {folders.map((f) => {
          const depth = f.split("/").length - 1;
          return (
            <li key={f} style={{ paddingLeft: `${depth * 12}px` }}>
              <Link
                to={`/?folder=${encodeURIComponent(f)}`}
                className={current === f ? "active" : undefined}
                aria-current={current === f ? "page" : undefined}
              >
                {f.split("/").pop()}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}

export default function Library() {
  const page = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const problem = result && "problem" in result ? result.problem : undefined;
  const navigation = useNavigation();
  const debounced = useDebouncedSubmit();
  const { query, items, facets, nextCursor, sort } = page;
  const [selected, setSelected] = useState<Set<string>>(new Set());
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
  useEffect(() => setSelected(new Set()), [page]);
  const searching = navigation.state === "loading" && navigation.location?.pathname === "/";
  const filtered = !!(query.q || query.tag || query.folder || query.label || query.favorite);
  const baseParams = new URLSearchParams(
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
  const withCursor = (c: string | null) => {
    const p = new URLSearchParams(baseParams);
    if (c) p.set("cursor", c);
    const s = p.toString();
    return s ? `/?${s}` : "/";
  };
  const here = withCursor(query.cursor);
  const nextHref = nextCursor ? withCursor(nextCursor) : null;
  const firstHref = withCursor(null);

  return (
    <div className="library">
      <aside className="library-sidebar">
        <Folders folders={facets.folders} current={query.folder} />
        <Form method="post" className="new-folder">
          <input type="hidden" name="intent" value="create-folder" />
          <label htmlFor="new-folder-path" className="sidebar-title">
            New folder
          </label>
          <div className="inline-field">
            <input
              id="new-folder-path"
              name="path"
              type="text"
              placeholder="support/email"
              aria-invalid={!!issueFor(problem, "path")}
              aria-describedby="new-folder-error"
            />
            <button type="submit" className="btn btn-sm">
              Add
            </button>
          </div>
          <p id="new-folder-error" className="field-error" role={issueFor(problem, "path") ? "alert" : undefined}>
            {issueFor(problem, "path")}
          </p>
        </Form>
        <p>
          <Link to="/tags">Manage tags</Link>
        </p>
      </aside>

      <section className="library-main" aria-labelledby="library-title">
        <div className="page-header">
          <h1 id="library-title">Library</h1>
        </div>

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
          <div className="field field-search">
            <label htmlFor="q">Search</label>
            <input
              id="q"
              name="q"
              type="search"
              ref={searchInput}
              defaultValue={query.q}
              placeholder="Names, descriptions and section text"
              aria-invalid={!!page.issues.find((i) => i.path[0] === "q")}
              aria-describedby="q-error"
              autoComplete="off"
            />
            <span id="q-error" className="field-error">
              {page.issues.find((i) => i.path[0] === "q")?.message}
            </span>
          </div>
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

        {items.length === 0 ? (
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
        ) : (
          <Form method="post" className="bulk-form">
            <input type="hidden" name="back" value={here} />
            <fieldset className="bulk-bar panel" aria-describedby="bulk-status">
              <legend className="sr-only">Bulk actions</legend>
              <label className="checkbox-field">
                <input
                  type="checkbox"
                  checked={selected.size === items.length && items.length > 0}
                  onChange={(e) => setSelected(e.target.checked ? new Set(items.map((i) => i.id)) : new Set())}
                  aria-label="Select all prompts on this page"
                />
                <span>{selected.size ? `${selected.size} selected` : "Select"}</span>
              </label>
              <label htmlFor="bulk-op" className="sr-only">
                Action
              </label>
              <select id="bulk-op" name="op" defaultValue="" aria-invalid={!!issueFor(problem, "op")}>
                <option value="">Action…</option>
                <option value="tag">Add tags</option>
                <option value="untag">Remove tags</option>
                <option value="move">Move to folder</option>
                <option value="trash">Move to trash</option>
              </select>
              <label htmlFor="bulk-value" className="sr-only">
                Tags or folder
              </label>
              <input
                id="bulk-value"
                name="value"
                type="text"
                placeholder="tags, comma-separated / folder path"
                aria-invalid={!!(issueFor(problem, "tags") || issueFor(problem, "folder"))}
              />
              <button type="submit" name="intent" value="bulk" className="btn btn-sm">
                Apply
              </button>
              <span
                id="bulk-status"
                className={problem ? "field-error" : "bulk-ok"}
                role={problem ? "alert" : "status"}
              >
                {problem ? problem.error : result && "ok" in result ? result.ok : ""}
              </span>
            </fieldset>
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
        )}
        {items.map((p) => (
          <FavoriteForm key={p.id} item={p} back={here} />
        ))}
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
      </section>
    </div>
  );
}
