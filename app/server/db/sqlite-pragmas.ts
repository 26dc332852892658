/**
 * The pragmas every SQLite connection gets: WAL so readers never block the writer, NORMAL sync (safe
 * with WAL), a busy timeout instead of instant SQLITE_BUSY, enforced foreign keys, a 16 MB page
 * cache and temp tables in memory. No memory map: mapped pages count in the process's RSS as the
 * file grows (12 MB after a 3-minute soak that saved 4,000 versions), while the page cache holds
 * what the pages read within its own bound; the API's hot reads use a separate reader connection
 * (app/server/db/raw-reader.server.ts). docs/decisions/131.
 */
export const SQLITE_PRAGMAS = {
  // First: the next pragma (journal_mode) takes a lock, and another process may hold it.
  busy_timeout: 5000,
  journal_mode: "wal",
  synchronous: 1, // NORMAL
  foreign_keys: 1,
  cache_size: -16000,
  temp_store: 2, // MEMORY
  mmap_size: 0,
} as const;

export const SQLITE_PRAGMA_SCRIPT = Object.entries(SQLITE_PRAGMAS)
  .map(([name, value]) => `PRAGMA ${name} = ${value};`)
  .join("\n");
