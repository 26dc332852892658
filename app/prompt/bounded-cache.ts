/**
 * A least-recently-used map bounded by entry count and by total size (in characters, as the
 * caller measures it). The render caches hold template sources of up to 200 kB as keys: a bound
 * on entries alone let 2,000 of them hold hundreds of megabytes (and the render pool's threads
 * have a capped heap). Pure.
 */
export class BoundedCache<V> {
  private readonly entries = new Map<string, { value: V; size: number }>();
  private total = 0;

  constructor(
    readonly maxEntries: number,
    readonly maxSize: number,
  ) {}

  get(key: string): V | undefined {
    const hit = this.entries.get(key);
    if (!hit) return undefined;
    // Most recently used last: eviction takes from the front.
    this.entries.delete(key);
    this.entries.set(key, hit);
    return hit.value;
  }

  /** Stores `value`; one larger than a quarter of the budget is not kept (it would evict the rest). */
  set(key: string, value: V, size: number = key.length): void {
    this.delete(key);
    if (size > this.maxSize / 4) return;
    this.entries.set(key, { value, size });
    this.total += size;
    while (this.total > this.maxSize || this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value as string;
      this.delete(oldest);
    }
  }

  delete(key: string): void {
    const hit = this.entries.get(key);
    if (!hit) return;
    this.entries.delete(key);
    this.total -= hit.size;
  }

  get size(): number {
    return this.entries.size;
  }

  /** Total size of the entries held. */
  get weight(): number {
    return this.total;
  }
}
