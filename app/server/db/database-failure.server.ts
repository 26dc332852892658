/**
 * Says whether an error means the database cannot serve right now (unreachable, timed out, out of
 * space, read-only, locked) rather than a bug or bad input, so routes answer 503 (or 507 when the
 * storage is full) with a problem body instead of a 500. Matching is on SQLSTATE/SQLite codes and
 * on driver messages, because Prisma's driver adapters pass many of these through as plain errors.
 */
export type DatabaseFailure = { status: 503 | 507; error: string; reason: string };

const FULL = /SQLITE_FULL|database or disk is full|could not extend file|No space left on device|\b53100\b/i;
const UNAVAILABLE = new RegExp(
  [
    "SQLITE_(?:READONLY|IOERR|CANTOPEN|BUSY|LOCKED|CORRUPT|NOTADB)",
    "attempt to write a readonly database",
    "disk I/O error",
    "database is locked",
    "unable to open database file",
    "Can't reach database server",
    "Connection terminated",
    "Connection ended unexpectedly",
    "Server has closed the connection",
    "timeout exceeded when trying to connect",
    "Query read timeout",
    "canceling statement due to statement timeout",
    "terminating connection",
    "the database system is (?:starting up|shutting down|in recovery mode)",
    "cannot execute \\w+ in a read-only transaction",
    "Cannot use a pool after calling end on the pool",
    "Client has encountered a connection error",
    "Operation has timed out",
    "ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|EHOSTUNREACH",
    "\\b(?:P1001|P1002|P1008|P1017|P2024|P2037)\\b",
    "\\b(?:57014|57P01|57P02|57P03|08000|08003|08006|08001|08004|25006|53300)\\b",
  ].join("|"),
  "i",
);

/** The text of an error and of its causes and codes, as one searchable string. */
function describe(error: unknown, depth = 0): string {
  if (depth > 4 || error === null || error === undefined) return "";
  if (typeof error !== "object") return String(error);
  const e = error as Record<string, unknown>;
  const parts = [e.message, e.code, e.originalCode, e.originalMessage, e.kind, e.extendedCode]
    .filter((v) => v !== undefined)
    .map(String);
  const meta = e.meta as Record<string, unknown> | undefined;
  if (meta?.driverAdapterError) parts.push(describe(meta.driverAdapterError, depth + 1));
  if (e.cause) parts.push(describe(e.cause, depth + 1));
  return parts.join(" ");
}

export function databaseFailure(error: unknown): DatabaseFailure | undefined {
  if (error instanceof Response) return undefined;
  const text = describe(error);
  if (!text) return undefined;
  if (FULL.test(text)) {
    return {
      status: 507,
      error: "The database is out of space: nothing was changed. Try again once space has been freed.",
      reason: "storage full",
    };
  }
  const match = UNAVAILABLE.exec(text);
  if (match) {
    return {
      status: 503,
      error: "The database is not available right now: nothing was changed. Try again in a moment.",
      reason: match[0],
    };
  }
  return undefined;
}
