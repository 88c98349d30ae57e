/**
 * Work that follows a turn but must not delay its answer (approval fan-out, Graph calls, card
 * updates). Tracked so that shutdown can wait for it and tests can wait until the bot is idle.
 * Losing it in a crash is fine: everything here is re-driven from stored state by the sweep.
 */
import type { Logger } from '../domain/ports';

/**
 * Where background work runs (the adapters' BackgroundLane, handed in by the composition root,
 * which also takes the work out of the deadline of the turn that started it).
 */
export interface WorkLane {
  run<T>(work: () => Promise<T>): Promise<T>;
}

export class BackgroundWork {
  private readonly running = new Set<Promise<void>>();
  private accepting = true;

  constructor(
    private readonly log: Logger,
    readonly lane?: WorkLane,
  ) {}

  run(name: string, work: () => Promise<unknown>): void {
    if (!this.accepting) {
      this.log.warn({ task: name }, 'shutting down: background work not started (the sweep will pick it up)');
      return;
    }
    // Not bound to the turn that starts it: a click answered at its budget does not abort the
    // work its handler had already handed over (each call of it has its own deadline).
    // Started on the next turn of the event loop, after the answer: what the work does before its
    // first wait (cards drawn, calls written) would otherwise run ahead of the answer the user is
    // waiting for (README, Performance).
    const task: Promise<void> = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => (this.lane ? this.lane.run(work) : work()))
      .then(() => undefined)
      .catch((err: unknown) =>
        this.log.error({ task: name, err: err instanceof Error ? err.message : String(err) }, 'background work failed'),
      )
      .finally(() => this.running.delete(task));
    this.running.add(task);
  }

  get size(): number {
    return this.running.size;
  }

  /** Resolves when nothing is running (including work started by work that was running). */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }

  /** Stops taking new work and waits for what runs, at most `timeoutMs`. */
  async drain(timeoutMs: number): Promise<boolean> {
    this.accepting = false;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    const done = this.idle().then(() => true);
    const finished = await Promise.race([done, timeout]);
    clearTimeout(timer);
    return finished;
  }
}
