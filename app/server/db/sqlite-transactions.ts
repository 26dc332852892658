/**
 * Transactions for the better-sqlite3 adapter that always give the connection back.
 *
 * The adapter serialises transactions with a mutex that only its Transaction's commit()/rollback()
 * release, and Prisma's transaction manager calls those only after the COMMIT or ROLLBACK statement
 * succeeded. A COMMIT that fails (disk full, read-only file, I/O error) or a ROLLBACK that fails
 * because SQLite already rolled back left the mutex taken forever: every later write hung
 * (issue 11, fault 1). The adapter's mutex is private, so this wrapper starts transactions itself
 * with its own lock and, when closing fails, rolls back what is left and releases the lock before
 * rethrowing. Queries and statements still run through the adapter (same connection, same mapping).
 * Transactions begin IMMEDIATE, so that two processes writing one file wait for each other (decision 133).
 */
import type { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { SQLITE_PRAGMAS } from "./sqlite-pragmas";

export type SqlDriverAdapter = Awaited<ReturnType<PrismaBetterSQLite3["connect"]>>;
type Transaction = Awaited<ReturnType<SqlDriverAdapter["startTransaction"]>>;
type SqlQuery = Parameters<SqlDriverAdapter["executeRaw"]>[0];

const statement = (sql: string): SqlQuery => ({ sql, args: [], argTypes: [] });
const CLOSING = /^\s*(COMMIT|ROLLBACK|END)\b/i;

/** A FIFO lock: one open transaction per connection (a hand-written promise chain; the adapter's own is private). */
class SerialLock {
  private tail: Promise<void> = Promise.resolve();
  acquire(): Promise<() => void> {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const ready = this.tail.then(() => release);
    this.tail = this.tail.then(() => held);
    return ready;
  }
}

/** How long a transaction waits for another process's write lock: the connections' busy_timeout. */
const WRITE_LOCK_WAIT_MS = SQLITE_PRAGMAS.busy_timeout;

const isBusy = (error: unknown) => {
  const cause = (error as { cause?: { originalCode?: string; kind?: string } } | null)?.cause;
  return cause?.originalCode === "SQLITE_BUSY" || /SQLITE_BUSY|database is locked/i.test(String(error));
};

/**
 * BEGIN IMMEDIATE: the write lock is taken when the transaction starts. A deferred transaction that
 * has read cannot wait for it later (SQLite skips the busy handler then, to avoid a deadlock): with
 * another process writing (the trash-purge command, a second client of the file) it failed at once
 * with SQLITE_BUSY, which Prisma reports as "Operation has timed out" (decision 133). The wait is
 * asynchronous: better-sqlite3's busy handler sleeps on the event loop's thread, so the attempt
 * runs with busy_timeout 0 and is retried on a timer, up to WRITE_LOCK_WAIT_MS.
 */
async function beginImmediate(inner: SqlDriverAdapter) {
  const until = Date.now() + WRITE_LOCK_WAIT_MS;
  for (let pause = 2; ; pause = Math.min(pause * 2, 50)) {
    await inner.executeScript("PRAGMA busy_timeout = 0");
    try {
      await inner.executeRaw(statement("BEGIN IMMEDIATE"));
      return;
    } catch (error) {
      if (!isBusy(error) || Date.now() >= until) throw error;
    } finally {
      await inner.executeScript(`PRAGMA busy_timeout = ${SQLITE_PRAGMAS.busy_timeout}`);
    }
    await new Promise((resolve) => setTimeout(resolve, pause));
  }
}

export function withReleasingTransactions(inner: SqlDriverAdapter): SqlDriverAdapter {
  const lock = new SerialLock();
  return {
    provider: inner.provider,
    adapterName: inner.adapterName,
    queryRaw: (query) => inner.queryRaw(query),
    executeRaw: (query) => inner.executeRaw(query),
    executeScript: (script) => inner.executeScript(script),
    ...(inner.getConnectionInfo ? { getConnectionInfo: () => inner.getConnectionInfo!() } : {}),
    dispose: () => inner.dispose(),
    async startTransaction(isolationLevel) {
      // SQLite transactions are serializable; the adapter raises Prisma's own error for anything else.
      if (isolationLevel && isolationLevel !== "SERIALIZABLE") return inner.startTransaction(isolationLevel);
      const release = await lock.acquire();
      try {
        await beginImmediate(inner);
      } catch (error) {
        release();
        throw error;
      }
      let open = true;
      const close = async () => {
        if (!open) return;
        open = false;
        release();
      };
      const transaction: Transaction = {
        provider: inner.provider,
        adapterName: inner.adapterName,
        options: { usePhantomQuery: false },
        queryRaw: (query) => inner.queryRaw(query),
        async executeRaw(query) {
          try {
            return await inner.executeRaw(query);
          } catch (error) {
            if (CLOSING.test(query.sql)) {
              // SQLite may already have rolled back (SQLITE_FULL, IOERR); then this ROLLBACK fails harmlessly.
              await inner.executeRaw(statement("ROLLBACK")).catch(() => undefined);
              await close();
            }
            throw error;
          }
        },
        commit: close,
        rollback: close,
      };
      return transaction;
    },
  };
}
