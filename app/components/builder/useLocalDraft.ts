/**
 * The local draft: unsaved work is kept in localStorage as you edit and offered back when the page
 * opens again — restored at once if the prompt has not moved on, offered with a warning if it has.
 * Once the draft leaves the page (saved, or handed to the conflict view) it is no longer kept.
 */
import { useCallback, useEffect, useRef, useState } from "react";
import type { PromptDraft, PromptMeta } from "~/prompt/draft";
import { draftForSave } from "~/prompt/sections";
import { readDraft, removeDraft, writeDraft, type StoredDraft } from "./local-store";

/** What the page tells the user about a stored draft: restored, or kept aside from an older version. */
export type LocalDraftOffer = { kind: "restored" | "older-version"; stored: StoredDraft };

type Options = {
  storageKey: string;
  /** The version the page opened at. */
  baseVersion: number;
  draft: PromptDraft;
  meta: PromptMeta;
  /** The version the edit is based on (may move to the head after a conflict). */
  editBase: number;
  dirty: boolean;
  /** True when the stored draft is what the page opened with (nothing to restore). */
  isInitial: (stored: StoredDraft) => boolean;
  /** Puts a stored draft into the editor. */
  restore: (stored: StoredDraft) => void;
  /** A new action result means a save came back refused: keep the work locally again. */
  actionData: unknown;
};

export function useLocalDraft({
  storageKey,
  baseVersion,
  draft,
  meta,
  editBase,
  dirty,
  isInitial,
  restore,
  actionData,
}: Options) {
  const [offer, setOffer] = useState<LocalDraftOffer | null>(null);
  const handedOff = useRef(false);

  useEffect(() => {
    const stored = readDraft(storageKey);
    if (!stored || isInitial(stored)) return;
    if (stored.baseVersion === baseVersion) {
      restore(stored);
      setOffer({ kind: "restored", stored });
    } else {
      setOffer({ kind: "older-version", stored });
    }
    // Once, when the page opens.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  useEffect(() => {
    const t = setTimeout(() => {
      if (dirty && !handedOff.current)
        writeDraft(storageKey, { draft: draftForSave(draft), meta, baseVersion: editBase, savedAt: Date.now() });
      else if (!dirty) removeDraft(storageKey);
    }, 300);
    return () => clearTimeout(t);
  }, [draft, meta, dirty, storageKey, editBase]);

  useEffect(() => {
    if (actionData) handedOff.current = false;
  }, [actionData]);

  /** The draft leaves this page (submitted, or taken over by the conflict view): stop keeping it. */
  const handOff = useCallback(() => {
    handedOff.current = true;
    removeDraft(storageKey);
  }, [storageKey]);

  /** Forgets the stored draft (the caller puts back what the page opened with, if it was restored). */
  const discard = useCallback(() => {
    removeDraft(storageKey);
    setOffer(null);
  }, [storageKey]);

  /** Takes the draft kept from an older version into the editor. */
  const accept = useCallback(() => {
    if (offer) restore(offer.stored);
    setOffer(null);
  }, [offer, restore]);

  const isHandedOff = useCallback(() => handedOff.current, []);

  return { offer, handOff, discard, accept, isHandedOff };
}
