import type { RenameOffer } from "./useVariableRename";

/** "{{old}} is still used in N places — update them to {{new}}?" under a renamed variable. */
export function RenameUsesOffer({
  offer,
  onApply,
  onDismiss,
}: {
  offer: RenameOffer;
  onApply: () => void;
  onDismiss: () => void;
}) {
  const places = `${offer.uses} ${offer.uses === 1 ? "place" : "places"}`;
  return (
    <div className="callout callout-info rename-offer" role="group" aria-label={`Update uses of ${offer.from}`}>
      <p>
        <code>{`{{${offer.from}}}`}</code> is still used in {places} (sections and example rows). Update{" "}
        {offer.uses === 1 ? "it" : "them"} to <code>{`{{${offer.to}}}`}</code>?
      </p>
      {offer.snippets.length ? (
        <p className="muted">
          Snippet{offer.snippets.length === 1 ? "" : "s"} {offer.snippets.map((s) => `“${s}”`).join(", ")} also{" "}
          {offer.snippets.length === 1 ? "reads" : "read"} <code>{`{{${offer.from}}}`}</code>; snippets are edited on
          their own page and are not changed here.
        </p>
      ) : null}
      <div className="callout-actions">
        <button type="button" className="btn btn-sm btn-primary" onClick={onApply}>
          Update {places}
        </button>
        <button type="button" className="btn btn-sm" onClick={onDismiss}>
          Leave them
        </button>
      </div>
    </div>
  );
}
