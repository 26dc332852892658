/**
 * The library: every prompt with its details; filter by tag, folder, label and favourite; sort;
 * full-text search as you type (debounced) — and as a plain GET form without JavaScript. The URL
 * holds the query. Selections get bulk actions (tag, untag, move, trash).
 */
import {
  data as remixData,
  type ActionFunctionArgs,
  type LinksFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { usePublicEnv } from "~/components/usePublicEnv";
import { z } from "zod";
import { plural } from "~/components/plural";
import { FavoriteForm } from "~/components/library/PromptRow";
import { FolderSidebar } from "~/components/library/FolderSidebar";
import { isFiltered, libraryHref } from "~/components/library/library-href";
import { LibraryFilters } from "~/components/library/LibraryFilters";
import { LibraryPager } from "~/components/library/LibraryPager";
import { LibraryResults, ResultsStatus } from "~/components/library/LibraryResults";
import { getDb } from "~/server/db.server";
import { libraryPage } from "~/models/library-page.server";
import { createFolder, movePrompts, setFavorite, tagPrompts, trashPrompts } from "~/models/organize.server";
import { InvalidError } from "~/prompt/errors";
import { splitTagField } from "~/prompt/tags";
import { parseInput } from "~/prompt/zod-issues";
import { pageAction, parseIntent, readForm } from "~/server/http/problem.server";
import { localRedirect, redirectField } from "~/server/http/safe-redirect.server";
import libraryStyles from "~/styles/library.css";
import { actorOf, requireUser, requireVisiblePromptIds, visibilityScope } from "~/server/auth/guard.server";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: libraryStyles }];

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.query.q ? `“${data.query.q}” · ` : ""}Library · Prompt Builder` },
];

export async function loader({ request }: LoaderFunctionArgs) {
  const principal = await requireUser(request);
  return libraryPage(getDb(), new URL(request.url), visibilityScope(principal));
}

export async function action({ request }: ActionFunctionArgs) {
  const principal = await requireUser(request, "editor");
  const db = getDb();
  const form = await readForm(request);
  await requireVisiblePromptIds(principal, [...form.getAll("ids").map(String), String(form.get("id") ?? "")]);
  return pageAction(async () => {
    // Checked before anything is written: a bad target is a 400, never a 500 after the write.
    const backTo = redirectField(form.get("back"), "back");
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
        return localRedirect(backTo);
      }
      case "create-folder": {
        const path = await createFolder(db, form.get("path"), actorOf(principal, request));
        return localRedirect(`/?folder=${encodeURIComponent(path)}`);
      }
      case "bulk": {
        const ids = form.getAll("ids").map(String);
        const op = String(form.get("op") ?? "");
        const value = String(form.get("value") ?? "");
        const prompts = (n: number) => `${n} ${plural(n, "prompt", "prompts")}`;
        // Each success is new: the bar resets its action and value, so Apply never repeats it.
        const data = (d: { ok: string }) => remixData({ ...d, done: crypto.randomUUID() });
        if (op === "tag" || op === "untag") {
          await tagPrompts(db, ids, splitTagField(value), op === "tag" ? "add" : "remove", actorOf(principal, request));
          return data({ ok: `${op === "tag" ? "Tagged" : "Untagged"} ${prompts(ids.length)}.` });
        }
        if (op === "move") {
          const moved = await movePrompts(db, ids, value, actorOf(principal, request));
          return data({ ok: `Moved ${prompts(moved.moved)} to ${moved.folder || "no folder"}.` });
        }
        if (op === "trash") {
          const n = await trashPrompts(db, ids, new Date(), actorOf(principal, request));
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

export default function Library() {
  const page = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const problem = result && "problem" in result ? result.problem : undefined;
  const { query, items, facets, nextCursor } = page;
  const filtered = isFiltered(query);
  const here = libraryHref(query, query.cursor);
  const exportEnabled = usePublicEnv()?.ENABLE_EXPORT !== false;

  return (
    <div className="library">
      <FolderSidebar folders={facets.folders} current={query.folder} problem={problem} />

      <section className="library-main" aria-labelledby="library-title">
        <div className="page-header">
          <h1 id="library-title">Library</h1>
          <div className="page-actions">
            {exportEnabled ? (
              <>
                <a
                  href={query.folder ? `/api/v1/export?folder=${encodeURIComponent(query.folder)}` : "/api/v1/export"}
                  className="btn btn-sm"
                  title="Every version, label history and snippet, as one JSON bundle another instance imports"
                  download
                >
                  {query.folder ? "Export folder" : "Export library"}
                </a>
                <a
                  href={
                    query.folder
                      ? `/api/v1/export.zip?folder=${encodeURIComponent(query.folder)}`
                      : "/api/v1/export.zip"
                  }
                  className="btn btn-sm"
                  title="The newest version of each prompt as a .prompt file in the folder tree, snippets as partials"
                  download
                >
                  .prompt files (zip)
                </a>
              </>
            ) : null}
            <Link to="/import" className="btn btn-sm">
              Import
            </Link>
          </div>
        </div>

        <LibraryFilters query={query} facets={facets} issues={page.issues} filtered={filtered} />
        <ResultsStatus page={page} filtered={filtered} />
        <LibraryResults
          items={items}
          filtered={filtered}
          here={here}
          problem={problem}
          ok={result && "ok" in result ? result.ok : ""}
          done={result && "done" in result ? result.done : ""}
        />
        {items.map((p) => (
          <FavoriteForm key={p.id} item={p} back={here} />
        ))}
        <LibraryPager query={query} nextCursor={nextCursor} />
      </section>
    </div>
  );
}
