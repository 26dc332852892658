import { Form, Link } from "@remix-run/react";
import type { LibraryItem } from "~/models/library.server";
import { AbsoluteDate } from "./AbsoluteDate";
import { useCanEdit } from "../useCanEdit";

const favoriteFormId = (id: string) => `favorite-${id}`;

/**
 * The favourite toggle's own form (intent, id, favorite as named fields). Rendered outside the
 * list's bulk form, which cannot nest it; the row's star button submits it by its id.
 */
export function FavoriteForm({ item, back }: { item: Pick<LibraryItem, "id" | "favorite">; back: string }) {
  return (
    <Form method="post" id={favoriteFormId(item.id)} hidden>
      <input type="hidden" name="intent" value="favorite" />
      <input type="hidden" name="id" value={item.id} />
      <input type="hidden" name="favorite" value={item.favorite ? "0" : "1"} />
      <input type="hidden" name="back" value={back} />
    </Form>
  );
}

/** One prompt in the library list, with a checkbox for bulk actions and a favourite toggle (see FavoriteForm). */
export function PromptRow({
  item: p,
  selected,
  onSelect,
}: {
  item: LibraryItem;
  selected: boolean;
  onSelect: (on: boolean) => void;
}) {
  const canEdit = useCanEdit();
  return (
    <li className="panel library-row" data-testid="library-row">
      <input
        type="checkbox"
        name="ids"
        value={p.id}
        checked={selected}
        onChange={(e) => onSelect(e.target.checked)}
        aria-label={`Select ${p.name}`}
        className="row-select"
      />
      <button
        type="submit"
        form={favoriteFormId(p.id)}
        className={`fav-toggle${p.favorite ? " on" : ""}`}
        aria-pressed={p.favorite}
        aria-label={p.favorite ? `Remove ${p.name} from favourites` : `Add ${p.name} to favourites`}
        title={p.favorite ? "Favourite" : "Add to favourites"}
      >
        {p.favorite ? "★" : "☆"}
      </button>
      <div className="row-body">
        <div className="row-title-line">
          <Link to={`/prompts/${p.slug}`} className="row-title">
            {p.name}
          </Link>
          {p.folder ? (
            <Link
              to={`/?folder=${encodeURIComponent(p.folder)}`}
              className="row-folder"
              aria-label={`Folder ${p.folder}`}
            >
              {p.folder}
            </Link>
          ) : null}
        </div>
        {p.description ? <p className="row-desc">{p.description}</p> : null}
        <div className="row-meta">
          {p.labels.map((l) => (
            <span
              key={l.name}
              className={`badge label-badge label-${l.name === "production" ? "production" : l.name === "staging" ? "staging" : "custom"}`}
              title={`${l.name} → version ${l.version}${l.protected ? " (protected)" : ""}`}
            >
              {l.protected ? <span aria-label="protected">🔒</span> : null}
              {l.name} v{l.version}
            </span>
          ))}
          {p.tags.map((t) => (
            <Link key={t} to={`/?tag=${encodeURIComponent(t)}`} className="badge badge-accent">
              #{t}
            </Link>
          ))}
          <span className="row-version">v{p.headVersion}</span>
          <span className="row-changed">
            changed <AbsoluteDate iso={p.updatedAt} /> by {p.author ?? "local"}
          </span>
          {canEdit ? (
            <Link to={`/prompts/${p.slug}/edit`} className="row-edit" aria-label={`Edit ${p.name}`}>
              Edit
            </Link>
          ) : null}
          <Link to={`/prompts/${p.slug}/history`} className="row-edit" aria-label={`History of ${p.name}`}>
            History
          </Link>
        </div>
      </div>
    </li>
  );
}
