/**
 * Text a client sends may not hold NUL characters: PostgreSQL cannot store them, and SQLite would,
 * so data saved on one could not move to the other. The parse helpers (forms, JSON bodies, JSON
 * form fields) and the request wrapper (URL path and query) refuse them once, at the boundary,
 * with the path of the field that held one. Pure: shared by browser and server.
 */
import { InvalidError } from "./errors";

export const NUL_MESSAGE = "must not contain NUL characters (\\u0000)";

/** The path of the first string (or object key) holding a NUL, or null when there is none. */
export function findNul(value: unknown, path: Array<string | number> = []): Array<string | number> | null {
  if (typeof value === "string") return value.includes("\0") ? path : null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findNul(value[i], [...path, i]);
      if (found) return found;
    }
    return null;
  }
  if (value && typeof value === "object") {
    for (const [key, v] of Object.entries(value)) {
      if (key.includes("\0")) return [...path, key];
      const found = findNul(v, [...path, key]);
      if (found) return found;
    }
  }
  return null;
}

/** Throws the 400 naming the field when `value` holds a NUL anywhere. */
export function refuseNul(value: unknown, path: Array<string | number> = []): void {
  const found = findNul(value, path);
  if (found)
    throw new InvalidError(`Text ${NUL_MESSAGE}.`, [{ path: found, message: NUL_MESSAGE }], { malformed: true });
}
