/**
 * The draft being edited, its details (name, description, tags, folder) and the version the edit
 * is based on, and whether any of them differs from what the page opened with.
 */
import { useMemo, useRef, useState } from "react";
import type { PromptDraft, PromptMeta } from "~/prompt/draft";
import { normalizeDraft, withIds } from "~/prompt/sections";
import type { StoredDraft } from "./local-store";

function snapshot(draft: PromptDraft, meta: PromptMeta) {
  return JSON.stringify([normalizeDraft(draft), meta]);
}

/** The draft with an id on every section (the editor keys sections by it). */
const editable = (draft: PromptDraft): PromptDraft => ({ ...draft, sections: withIds(draft.sections) });

export function useBuilderDraft(initialDraft: PromptDraft, initialMeta: PromptMeta, baseVersion: number) {
  const [draft, replaceDraft] = useState<PromptDraft>(() => editable(initialDraft));
  const [meta, setMeta] = useState<PromptMeta>(initialMeta);
  const [editBase, setEditBase] = useState(baseVersion);
  const initialSnapshot = useRef(snapshot(initialDraft, initialMeta));

  // Serialising a large draft costs ~1 ms: once per change, not once per render.
  const changed = useMemo(() => snapshot(draft, meta) !== initialSnapshot.current, [draft, meta]);
  const dirty = changed || editBase !== baseVersion;

  return {
    draft,
    /** Replaces the draft without sending it to the preview (useDraftChange does both). */
    replaceDraft,
    meta,
    setMeta,
    editBase,
    setEditBase,
    dirty,
    /** True when a stored draft is what the page opened with (nothing to restore). */
    isInitial: (stored: StoredDraft) => snapshot(stored.draft, stored.meta) === initialSnapshot.current,
    /** Puts a stored draft into the editor, with the version it was based on. */
    restore: (stored: StoredDraft) => {
      replaceDraft(editable(stored.draft));
      setMeta(stored.meta);
      setEditBase(stored.baseVersion);
    },
    /** Back to what the page opened with. */
    reset: () => {
      replaceDraft(editable(initialDraft));
      setMeta(initialMeta);
    },
  };
}
