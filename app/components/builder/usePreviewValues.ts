/**
 * The preview values typed for a prompt's variables: started from the values the page was given
 * (a saved prompt's test values from the server), then — only when the server had none — this
 * prompt's values from localStorage (or those carried over from the page that created it). They
 * are kept in localStorage as a cache and, for a saved prompt, sent to the server as they change.
 */
import { useCallback, useEffect, useRef, useState } from "react";
import type { Variable } from "~/prompt/draft";
import { takePreviewValues, writePreviewValues, type PreviewValues } from "./local-store";
import { markChange } from "./usePreview";
import { toRaw, type RawValue } from "./VariablesPanel";

export function usePreviewValues(
  storageKey: string,
  mode: "new" | "edit",
  variables: readonly Variable[],
  initialValues: Record<string, unknown> | undefined,
  /** Where a saved prompt keeps its test values (POST { values }); none for a new prompt. */
  serverUrl?: string,
) {
  const [values, setValues] = useState<PreviewValues>(() => {
    const out: PreviewValues = {};
    for (const v of variables) {
      const given = initialValues?.[v.name];
      if (given !== undefined) out[v.name] = toRaw(v.type, given, v.itemType);
    }
    return out;
  });

  const fromServer = useRef(serverUrl !== undefined && Object.keys(values).length > 0);
  useEffect(() => {
    if (fromServer.current) return;
    const stored = takePreviewValues(storageKey, mode);
    if (stored) setValues((cur) => ({ ...cur, ...stored }));
    // Once, when the page opens.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  useEffect(() => {
    const t = setTimeout(() => writePreviewValues(storageKey, values), 300);
    return () => clearTimeout(t);
  }, [values, storageKey]);

  const sent = useRef(JSON.stringify(values));
  useEffect(() => {
    if (!serverUrl) return;
    const body = JSON.stringify(values);
    if (body === sent.current) return;
    const t = setTimeout(() => {
      sent.current = body;
      // Best effort: the local cache keeps the values if the server cannot take them now.
      fetch(serverUrl, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ values }),
      }).catch(() => (sent.current = ""));
    }, 800);
    return () => clearTimeout(t);
  }, [values, serverUrl]);

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
