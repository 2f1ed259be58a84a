/**
 * Phoenix's login rate limit (phoenix/server/rate_limiters.py, applied in routers/auth.py): one token
 * bucket per client address for the session routes (/auth/login, /auth/logout, /auth/refresh), each
 * request spending a token whatever its outcome. The bucket holds `perSecond × windowSeconds` tokens
 * (0.2 × 60 = 12) and refills at `perSecond` (one every 5 s); an empty bucket answers 429 "Too Many
 * Requests" before the route looks at the body, so a refused attempt reads and changes nothing.
 * Only time resets it: a successful login does not (as in Phoenix).
 *
 * In memory, per server (Phoenix's choice): replicas sharing a database each keep their own buckets.
 * A bucket idle long enough to be full again is the same as no bucket, so it is dropped; memory is
 * bounded by the addresses seen within the last window.
 */
export interface LoginRateLimitOptions {
  perSecond: number;
  windowSeconds: number;
  /** Milliseconds since the epoch; Date.now unless a test steps it. */
  now?: () => number;
}

export const PHOENIX_LOGIN_RATE_LIMIT = { perSecond: 0.2, windowSeconds: 60 } as const;

/** The paths Phoenix limits (it also limits its password-reset routes, which Fawkes has not). */
export const RATE_LIMITED_PATHS: readonly string[] = ['/auth/login', '/auth/logout', '/auth/refresh'];

interface Bucket {
  tokens: number;
  checkedAt: number;
}

export class LoginRateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly maxTokens: number;
  private readonly now: () => number;
  private sweptAt: number;

  constructor(private readonly options: LoginRateLimitOptions) {
    this.maxTokens = options.perSecond * options.windowSeconds;
    this.now = options.now ?? Date.now;
    this.sweptAt = this.now();
  }

  /**
   * Spends one of `key`'s tokens: null when it had one, else the seconds until it will (for
   * Retry-After).
   */
  take(key: string): number | null {
    const now = this.now();
    this.sweep(now);
    const bucket = this.buckets.get(key) ?? { tokens: this.maxTokens, checkedAt: now };
    bucket.tokens = Math.min(
      this.maxTokens,
      bucket.tokens + ((now - bucket.checkedAt) / 1000) * this.options.perSecond,
    );
    bucket.checkedAt = now;
    this.buckets.set(key, bucket);
    if (bucket.tokens < 1) return Math.max(1, Math.ceil((1 - bucket.tokens) / this.options.perSecond));
    bucket.tokens -= 1;
    return null;
  }

  /** Addresses with a bucket that is not full (for tests). */
  get size(): number {
    return this.buckets.size;
  }

  /** Drops the buckets full again (idle a whole window), at most once a window. */
  private sweep(now: number): void {
    const windowMs = this.options.windowSeconds * 1000;
    if (now - this.sweptAt < windowMs) return;
    this.sweptAt = now;
    for (const [key, bucket] of this.buckets) {
      if (now - bucket.checkedAt >= windowMs) this.buckets.delete(key);
    }
  }
}
