/**
 * What the builder keeps in localStorage: the unsaved draft of each prompt and the preview values
 * typed for it. Every key is written here, once. Storage can be full or disabled: reads then find
 * nothing and writes do nothing.
 */
import type { PromptDraft, PromptMeta } from "~/prompt/draft";
import type { RawValue } from "./VariablesPanel";

/** An unsaved draft, with the version it started from. */
export type StoredDraft = { draft: PromptDraft; meta: PromptMeta; baseVersion: number; savedAt: number };
export type PreviewValues = Record<string, RawValue>;

const draftKey = (storageKey: string) => `pb:draft:${storageKey}`;
const valuesKey = (storageKey: string) => `pb:values:${storageKey}`;
/** Values typed on the "new prompt" page, for the prompt it creates (keyed by its likely slug). */
const createdValuesKey = (slug: string) => `pb:values:created:${slug}`;

function read<T>(key: string): T | null {
  try {
    const raw = localStorage.getItem(key);
    return raw ? (JSON.parse(raw) as T) : null;
  } catch {
    return null;
  }
}

function attempt(write: () => void) {
  try {
    write();
  } catch {
    /* storage full or disabled */
  }
}

export const readDraft = (storageKey: string) => read<StoredDraft>(draftKey(storageKey));
export const writeDraft = (storageKey: string, stored: StoredDraft) =>
  attempt(() => localStorage.setItem(draftKey(storageKey), JSON.stringify(stored)));
export const removeDraft = (storageKey: string) => attempt(() => localStorage.removeItem(draftKey(storageKey)));

/** This prompt's preview values; on a prompt's first edit, those carried over from the page that created it. */
export function takePreviewValues(storageKey: string, mode: "new" | "edit"): PreviewValues | null {
  try {
    const own = localStorage.getItem(valuesKey(storageKey));
    const carried = mode === "edit" && !own ? localStorage.getItem(createdValuesKey(storageKey)) : null;
    const v = own ?? carried;
    if (carried) localStorage.removeItem(createdValuesKey(storageKey));
    return v ? (JSON.parse(v) as PreviewValues) : null;
  } catch {
    return null;
  }
}

export const writePreviewValues = (storageKey: string, values: PreviewValues) =>
  attempt(() => localStorage.setItem(valuesKey(storageKey), JSON.stringify(values)));
export const carryPreviewValues = (slug: string, values: PreviewValues) =>
  attempt(() => localStorage.setItem(createdValuesKey(slug), JSON.stringify(values)));
