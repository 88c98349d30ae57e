/**
 * Keeps this process's invitation calls under a concurrency limit and a rate (calls started in
 * any one-second window), so a burst of approvals is spread out instead of tripping Graph's
 * throttling. Waiters are served first come, first served. It limits one process; several
 * instances each pace themselves, and Retry-After handling covers what pacing cannot.
 */
import { performance } from 'node:perf_hooks';

export interface PacerOptions {
  readonly maxConcurrent: number;
  readonly perSecond: number;
}

const WINDOW_MS = 1000;

export class Pacer {
  private active = 0;
  /** Start times within the last window, oldest first. */
  private starts: number[] = [];
  private readonly waiting: Array<() => void> = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    readonly options: PacerOptions,
    private readonly now: () => number = () => performance.now(),
  ) {
    if (!(options.maxConcurrent >= 1) || !(options.perSecond > 0)) {
      throw new Error(`Pacer needs maxConcurrent >= 1 and perSecond > 0, got ${JSON.stringify(options)}`);
    }
  }

  async run<T>(fn: () => Promise<T>): Promise<T> {
    await new Promise<void>((resolve) => {
      this.waiting.push(resolve);
      this.pump();
    });
    try {
      return await fn();
    } finally {
      this.active -= 1;
      this.pump();
    }
  }

  /** Calls running now and calls waiting for a turn (for health checks and tests). */
  get load(): { readonly active: number; readonly waiting: number } {
    return { active: this.active, waiting: this.waiting.length };
  }

  private pump(): void {
    while (this.waiting.length > 0 && this.active < this.options.maxConcurrent) {
      const now = this.now();
      this.starts = this.starts.filter((at) => now - at < WINDOW_MS);
      if (this.starts.length >= this.options.perSecond) {
        this.wakeAt((this.starts[0] as number) + WINDOW_MS - now);
        return;
      }
      this.active += 1;
      this.starts.push(now);
      (this.waiting.shift() as () => void)();
    }
  }

  private wakeAt(delayMs: number): void {
    if (this.timer) return;
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        this.pump();
      },
      Math.max(1, Math.ceil(delayMs)),
    );
  }
}
