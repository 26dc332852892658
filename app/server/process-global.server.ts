/**
 * One value per process under a well-known key on globalThis, so a module that a dev rebuild loads
 * again finds what its previous copy made (the database client, the installed request wrapper).
 */
export function processGlobal<T extends object>(key: string, create: () => T): T {
  const store = globalThis as typeof globalThis & Record<symbol, T | undefined>;
  return (store[Symbol.for(`prompt-builder.${key}`)] ??= create());
}
