/**
 * Transactions for the pg adapter that never return a dead connection to the pool, nor keep one.
 *
 * The adapter checks a client out for each transaction and gives it back with a plain `release()`
 * once Prisma's COMMIT or ROLLBACK succeeded. When the connection stalls or dies mid-transaction,
 * that statement fails, `release()` is never called, and the client is lost to the pool; after as
 * many failures as the pool has clients, every query waits forever (issue 11, fault 2). Here a
 * failed COMMIT/ROLLBACK releases the client, and a client that saw a connection-level error (query
 * timeout, reset, terminated) is released with that error, which makes pg-pool destroy it.
 */
import type { PrismaPg } from "@prisma/adapter-pg";
import type pg from "pg";

type SqlDriverAdapter = Awaited<ReturnType<PrismaPg["connect"]>>;
type SqlQuery = Parameters<SqlDriverAdapter["executeRaw"]>[0];

const CLOSING = /^\s*(COMMIT|ROLLBACK|END)\b/i;

/** A SQL error the server answered (the connection is fine) versus a connection that failed. */
function connectionIsSound(error: unknown): boolean {
  const code = (error as { cause?: { originalCode?: unknown } } | null)?.cause?.originalCode;
  // Class 08 = connection exceptions, 57P = operator intervention (terminated, shutting down).
  return typeof code === "string" && !/^(08|57P)/.test(code);
}

// The adapter's PgTransaction keeps the checked-out client and its listener cleanup as fields;
// neither is in its type, both are guarded by tests/integration/postgres-faults.test.ts.
type PgTransactionInternals = { client: Pick<pg.PoolClient, "release">; cleanup?: () => void };

/** The transaction's untyped fields, checked: an adapter that no longer has them fails loudly here. */
function pgTransactionInternals(tx: object): PgTransactionInternals {
  const client: unknown = Reflect.get(tx, "client");
  const cleanup: unknown = Reflect.get(tx, "cleanup");
  if (
    typeof client !== "object" ||
    client === null ||
    !("release" in client) ||
    typeof client.release !== "function" ||
    (cleanup !== undefined && typeof cleanup !== "function")
  ) {
    throw new Error("@prisma/adapter-pg's transaction no longer keeps its client as `client`: see pg-transactions.ts");
  }
  const release = client.release.bind(client);
  return {
    client: { release: (err?: Error | boolean) => release(err) },
    cleanup: typeof cleanup === "function" ? () => cleanup.call(tx) : undefined,
  };
}

export function withDisposingTransactions(adapter: SqlDriverAdapter): SqlDriverAdapter {
  const start = adapter.startTransaction.bind(adapter);
  adapter.startTransaction = async (isolationLevel) => {
    const tx = await start(isolationLevel);
    const internals = pgTransactionInternals(tx);
    let broken: Error | undefined;
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      internals.cleanup?.();
      internals.client.release(broken ?? undefined);
    };
    const guard =
      <R>(run: (query: SqlQuery) => Promise<R>) =>
      async (query: SqlQuery): Promise<R> => {
        try {
          return await run(query);
        } catch (error) {
          if (!connectionIsSound(error)) broken ??= error instanceof Error ? error : new Error(String(error));
          if (CLOSING.test(query.sql)) {
            // Prisma will not call commit()/rollback() after this: give the client back here.
            broken ??= error instanceof Error ? error : new Error(String(error));
            release();
          }
          throw error;
        }
      };
    const queryRaw = tx.queryRaw.bind(tx);
    const executeRaw = tx.executeRaw.bind(tx);
    tx.queryRaw = guard(queryRaw);
    tx.executeRaw = guard(executeRaw);
    tx.commit = async () => release();
    tx.rollback = async () => release();
    return tx;
  };
  return adapter;
}
