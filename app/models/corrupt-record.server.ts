/**
 * JSON the app stored in the database, read back through its schema. A row that does not parse is a
 * fault on the server's side (a manual edit, a bad migration): it surfaces as CorruptRecordError,
 * logged and answered 500 by the error handler, never replaced by a silent default.
 */
import type { z } from "zod";

export class CorruptRecordError extends Error {
  constructor(
    readonly table: string,
    readonly id: string,
    readonly detail: string,
  ) {
    super(`${table} ${id} in the database cannot be read: ${detail}`);
    this.name = "CorruptRecordError";
  }
}

type Where = { table: string; id: string; column: string };

/** JSON text from a column; text that is not JSON is a CorruptRecordError. */
export function storedJson(text: string, where: Where): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new CorruptRecordError(where.table, where.id, `${where.column} is not valid JSON`);
  }
}

/** A value assembled from a row, checked against its schema. */
export function parseRecord<S extends z.ZodType>(schema: S, value: unknown, where: Omit<Where, "column">): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const detail = result.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ");
  throw new CorruptRecordError(where.table, where.id, detail);
}
