/**
 * Two transactions that both find a row missing (a new tag, a new folder, a free slug) and both
 * insert it: the unique index lets one commit and fails the other (P2002 / SQLSTATE 23505), and on
 * PostgreSQL two such transactions can also deadlock (40P01) or fail to serialize (40001). Nothing
 * is wrong with the request: running the whole transaction again sees the winner's row. SQLite
 * serializes writers, so there this only ever runs once.
 */
const RACE =
  /\bP2002\b|\bP2034\b|\b23505\b|\b40001\b|\b40P01\b|Unique constraint failed|UNIQUE constraint failed|deadlock detected/i;

function text(error: unknown, depth = 0): string {
  if (depth > 4 || error === null || typeof error !== "object") return depth === 0 ? String(error) : "";
  const e = error as { message?: unknown; code?: unknown; cause?: unknown; meta?: unknown };
  return [e.message, e.code, text(e.cause, depth + 1), text(e.meta, depth + 1)].filter(Boolean).join(" ");
}

/** Whether an error is a lost race between concurrent writes rather than a bug. */
export function isWriteRace(error: unknown): boolean {
  return RACE.test(text(error));
}

/** Runs `transaction` again (up to `attempts` times in all) when it lost a race with another write. */
export async function retryWriteRace<T>(transaction: () => Promise<T>, attempts = 4): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await transaction();
    } catch (error) {
      if (attempt >= attempts || !isWriteRace(error)) throw error;
    }
  }
}

type Transactional<Tx> = { $transaction<R>(fn: (tx: Tx) => Promise<R>): Promise<R> };

/** `db.$transaction(fn)`, run again when it lost a race with a concurrent write (see above). */
export function transact<Tx, R>(db: Transactional<Tx>, fn: (tx: Tx) => Promise<R>): Promise<R> {
  return retryWriteRace(() => db.$transaction(fn));
}
