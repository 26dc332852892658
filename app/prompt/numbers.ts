/**
 * Whole numbers a client sends (version numbers, page cursors) must fit the database's integer
 * column: PostgreSQL's int4 ends at 2,147,483,647, and a larger value sent to it is an error, not
 * "not found". Parsed here, once, so "99999999999999999999" is a 400 naming the field. Pure.
 */
import { z } from "zod";

/** The largest value of a 32-bit signed integer column (PostgreSQL int4, Prisma Int). */
export const MAX_INT32 = 2_147_483_647;

export const VERSION_MESSAGE = `must be a version number (1 to ${MAX_INT32.toLocaleString("en")})`;

/** A version number in JSON: a whole number from 1 to MAX_INT32. */
export const versionNumberSchema = z
  .number({ error: VERSION_MESSAGE })
  .int(VERSION_MESSAGE)
  .min(1, VERSION_MESSAGE)
  .max(MAX_INT32, VERSION_MESSAGE);

/** A version number written as text (a form field, a query parameter): digits only, in range; else null. */
export function versionFromText(raw: unknown): number | null {
  if (typeof raw !== "string" || !/^\d{1,10}$/.test(raw.trim())) return null;
  const n = Number(raw.trim());
  return n >= 1 && n <= MAX_INT32 ? n : null;
}

/** The same for query strings parsed by a zod object schema. */
export const versionTextSchema = z.string().transform((raw, ctx) => {
  const n = versionFromText(raw);
  if (n === null) {
    ctx.addIssue({ code: "custom", message: VERSION_MESSAGE });
    return z.NEVER;
  }
  return n;
});
