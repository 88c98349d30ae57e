/**
 * Graph-style throttling for one app: a bucket of `perSecond` tokens refilled continuously.
 * A call that finds it empty is told how long until a token is back (the Retry-After).
 */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly perSecond: number,
    private readonly now: () => number,
  ) {
    if (!(perSecond > 0)) throw new Error(`throttlePerSecond must be > 0, got ${perSecond}`);
    this.tokens = perSecond;
    this.last = now();
  }

  /** Takes a token; returns 0 when granted, otherwise the milliseconds until one is available. */
  take(): number {
    const now = this.now();
    this.tokens = Math.min(this.perSecond, this.tokens + ((now - this.last) / 1000) * this.perSecond);
    this.last = now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return 0;
    }
    return Math.ceil(((1 - this.tokens) / this.perSecond) * 1000);
  }

  refill(): void {
    this.tokens = this.perSecond;
    this.last = this.now();
  }
}
