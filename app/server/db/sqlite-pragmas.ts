/**
 * The pragmas every SQLite connection gets: WAL so readers never block the writer, NORMAL sync (safe
 * with WAL), a busy timeout instead of instant SQLITE_BUSY, enforced foreign keys, a 64 MB page
 * cache, temp tables in memory and a 256 MB memory map.
 */
export const SQLITE_PRAGMAS = {
  journal_mode: "wal",
  synchronous: 1, // NORMAL
  busy_timeout: 5000,
  foreign_keys: 1,
  cache_size: -64000,
  temp_store: 2, // MEMORY
  mmap_size: 268435456,
} as const;

export const SQLITE_PRAGMA_SCRIPT = Object.entries(SQLITE_PRAGMAS)
  .map(([name, value]) => `PRAGMA ${name} = ${value};`)
  .join("\n");
