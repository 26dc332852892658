/**
 * The preview values typed for a prompt's variables: started from the values the page was given,
 * then this prompt's own values from localStorage (or those carried over from the page that
 * created it), and kept there as they change.
 */
import { useCallback, useEffect, useState } from "react";
import type { Variable } from "~/prompt/draft";
import { takePreviewValues, writePreviewValues, type PreviewValues } from "./local-store";
import { markChange } from "./usePreview";
import { toRaw, type RawValue } from "./VariablesPanel";

export function usePreviewValues(
  storageKey: string,
  mode: "new" | "edit",
  variables: readonly Variable[],
  initialValues: Record<string, unknown> | undefined,
) {
  const [values, setValues] = useState<PreviewValues>(() => {
    const out: PreviewValues = {};
    for (const v of variables) {
      const given = initialValues?.[v.name];
      if (given !== undefined) out[v.name] = toRaw(v.type, given, v.itemType);
    }
    return out;
  });

  useEffect(() => {
    const stored = takePreviewValues(storageKey, mode);
    if (stored) setValues((cur) => ({ ...cur, ...stored }));
    // Once, when the page opens.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  useEffect(() => {
    const t = setTimeout(() => writePreviewValues(storageKey, values), 300);
    return () => clearTimeout(t);
  }, [values, storageKey]);

  /** Sets one variable's value; undefined clears it (the default applies). */
  const setValue = useCallback((name: string, raw: RawValue | undefined) => {
    markChange();
    setValues((cur) => {
      const next = { ...cur };
      if (raw === undefined) delete next[name];
      else next[name] = raw;
      return next;
    });
  }, []);

  return { values, setValue };
}
