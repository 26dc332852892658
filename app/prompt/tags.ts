/**
 * The one tag rule, for every way a tag comes in (the builder, the prompt's details form, bulk
 * tagging, rename and merge, the API): trimmed, lower case, 1–40 characters, no comma or control
 * character, at most 20 on a prompt. Pure: shared by browser and server.
 */
import { z } from "zod";

export const MAX_TAGS = 20;
export const MAX_TAG_LENGTH = 40;

// Forms write tags as "a, b": a comma inside a tag would split it on the next save.
const FORBIDDEN = /[,\p{Cc}]/u;

/** One tag as stored. */
export const tagNameSchema = z
  .string()
  .trim()
  .toLowerCase()
  .min(1, "is required")
  .max(MAX_TAG_LENGTH, `must be at most ${MAX_TAG_LENGTH} characters`)
  .refine((t) => !FORBIDDEN.test(t), "must not contain a comma or a control character");

/** A prompt's tags. */
export const tagListSchema = z.array(tagNameSchema).max(MAX_TAGS, `must be at most ${MAX_TAGS} tags`);

/** What is stored for a tag someone typed: trimmed and lower case ("" when nothing is left). */
export function normalizeTag(raw: string): string {
  return raw.trim().toLowerCase();
}

/** The tags typed in one field as "a, b": each trimmed, empties dropped (checked and normalised later). */
export function splitTagField(text: string): string[] {
  return text
    .split(",")
    .map((t) => t.trim())
    .filter(Boolean);
}

/** Tags as stored, in the order given: normalised, without empties or repeats. */
export function normalizeTags(tags: readonly string[]): string[] {
  return [...new Set(tags.map(normalizeTag).filter(Boolean))];
}
