/** Tells the user about unsaved work found in this browser: restored (discard it?), or kept from an older version (restore it?). */
import type { LocalDraftOffer } from "./useLocalDraft";

type Props = {
  offer: LocalDraftOffer | null;
  /** The version the prompt is at now. */
  baseVersion: number;
  onRestore: () => void;
  onDiscard: () => void;
};

export function LocalDraftNotice({ offer, baseVersion, onRestore, onDiscard }: Props) {
  if (!offer) return null;
  const savedAt = new Date(offer.stored.savedAt).toLocaleString();
  if (offer.kind === "restored") {
    return (
      <div className="callout callout-info" role="status">
        <p>Restored unsaved changes from {savedAt}.</p>
        <button type="button" className="btn btn-sm" onClick={onDiscard}>
          Discard them
        </button>
      </div>
    );
  }
  return (
    <div className="callout callout-warning" role="status">
      <p>
        You have unsaved changes from {savedAt} based on v{offer.stored.baseVersion}; this prompt is now at v
        {baseVersion}.
      </p>
      <div className="callout-actions">
        <button type="button" className="btn btn-sm" onClick={onRestore}>
          Restore them
        </button>
        <button type="button" className="btn btn-sm btn-ghost" onClick={onDiscard}>
          Discard
        </button>
      </div>
    </div>
  );
}
