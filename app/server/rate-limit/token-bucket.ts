/**
 * Per-client token buckets, in memory, bounded in the number of clients they remember.
 *
 * A bucket holds up to `perMinute` tokens and refills at `perMinute / 60` tokens a second, so a
 * client may burst a minute's allowance and then keeps the steady rate. A request takes one token
 * from every bucket it is charged to, or none when any of them is empty; the answer then says how
 * many seconds until it would pass (Retry-After). Clients are remembered least recently used first
 * out, up to `maxClients` per limiter: a full bucket carries no information, and one evicted while
 * depleted only forgets a client that has not been seen since `maxClients` others were.
 * See docs/decisions/086-rate-limits.md.
 */

export type RateLimitKind = "render" | "write" | "save" | "login";

export type Limits = Readonly<Record<RateLimitKind, number>>;

export type Decision = { ok: true } | { ok: false; kind: RateLimitKind; retryAfterSeconds: number; limit: number };

type Bucket = { tokens: number; at: number };

export class TokenBuckets {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    /** Tokens per minute; 0 means unlimited (the limiter is off). */
    readonly perMinute: number,
    readonly maxClients = 20_000,
    private readonly now: () => number = Date.now,
  ) {}

  get enabled() {
    return this.perMinute > 0;
  }

  get clients() {
    return this.buckets.size;
  }

  /** Seconds until `key` has a token (0 when it has one now), refilling the bucket first. */
  wait(key: string): number {
    if (!this.enabled) return 0;
    const bucket = this.refill(key);
    if (bucket.tokens >= 1) return 0;
    return Math.max(1, Math.ceil(((1 - bucket.tokens) * 60) / this.perMinute));
  }

  take(key: string): void {
    if (!this.enabled) return;
    this.refill(key).tokens -= 1;
  }

  private refill(key: string): Bucket {
    const now = this.now();
    let bucket = this.buckets.get(key);
    if (bucket) {
      this.buckets.delete(key);
      bucket.tokens = Math.min(this.perMinute, bucket.tokens + ((now - bucket.at) / 60_000) * this.perMinute);
      bucket.at = now;
    } else {
      bucket = { tokens: this.perMinute, at: now };
      while (this.buckets.size >= this.maxClients) {
        this.buckets.delete(this.buckets.keys().next().value as string);
      }
    }
    // Most recently seen last: eviction takes from the front.
    this.buckets.set(key, bucket);
    return bucket;
  }
}

export class RateLimiter {
  private readonly buckets: Record<RateLimitKind, TokenBuckets>;

  constructor(
    readonly limits: Limits,
    options: { maxClients?: number; now?: () => number } = {},
  ) {
    const make = (perMinute: number) => new TokenBuckets(perMinute, options.maxClients, options.now);
    this.buckets = {
      render: make(limits.render),
      write: make(limits.write),
      save: make(limits.save),
      login: make(limits.login),
    };
  }

  /** Charges `key` one request of each kind in `kinds`, all or nothing. */
  check(key: string, kinds: readonly RateLimitKind[]): Decision {
    for (const kind of kinds) {
      const wait = this.buckets[kind].wait(key);
      if (wait > 0) return { ok: false, kind, retryAfterSeconds: wait, limit: this.limits[kind] };
    }
    for (const kind of kinds) this.buckets[kind].take(key);
    return { ok: true };
  }

  /** Whether `key` would pass `kinds` now, without charging it. */
  peek(key: string, kinds: readonly RateLimitKind[]): Decision {
    for (const kind of kinds) {
      const wait = this.buckets[kind].wait(key);
      if (wait > 0) return { ok: false, kind, retryAfterSeconds: wait, limit: this.limits[kind] };
    }
    return { ok: true };
  }

  /** Charges `key` one request of each kind even when a bucket is empty (a failure already happened). */
  charge(key: string, kinds: readonly RateLimitKind[]): void {
    for (const kind of kinds) {
      const bucket = this.buckets[kind];
      if (bucket.wait(key) === 0) bucket.take(key);
    }
  }

  /** How many clients each limiter remembers (bounded by maxClients). */
  get clients(): Record<RateLimitKind, number> {
    const { render, write, save, login } = this.buckets;
    return { render: render.clients, write: write.clients, save: save.clients, login: login.clients };
  }
}
