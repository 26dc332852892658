/**
 * Changes the draft and sends it to the preview at once, before React renders it; consecutive
 * changes in one tick build on each other.
 */
import { useCallback, useLayoutEffect, useRef, type Dispatch, type SetStateAction } from "react";
import type { PromptDraft } from "~/prompt/draft";
import { markChange } from "./usePreview";

export function useDraftChange(
  draft: PromptDraft,
  replaceDraft: Dispatch<SetStateAction<PromptDraft>>,
  requestNow: (next: PromptDraft) => void,
) {
  const latest = useRef(draft);
  useLayoutEffect(() => {
    latest.current = draft;
  }, [draft]);
  return useCallback(
    (fn: (d: PromptDraft) => PromptDraft) => {
      markChange();
      const next = fn(latest.current);
      latest.current = next;
      requestNow(next);
      replaceDraft(next);
    },
    [replaceDraft, requestNow],
  );
}
