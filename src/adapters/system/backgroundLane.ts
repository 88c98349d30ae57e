/**
 * The lane for work that follows a turn (approval fan-out, card updates, the outbox): its calls to
 * storage and to Teams take one of a few slots, while a turn's own calls never wait for a slot.
 * In a burst (many flows finishing at once) the background's calls then queue here, in the bot,
 * instead of in front of the turns' calls at the storage service and in the event loop; the answer
 * a user is waiting for goes first. The work itself is not delayed when there is room: only its
 * excess waits, and only for calls in flight (a Graph call does not hold a slot).
 *
 * The lane narrows while turns are in progress (see turnStarted), and follows the work through
 * awaits (AsyncLocalStorage), so the adapters need no argument.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

export class BackgroundLane {
  private static readonly current = new AsyncLocalStorage<BackgroundLane>();
  /** Set inside a call that holds a slot: a call it makes in turn goes straight through. */
  private static readonly holding = new AsyncLocalStorage<true>();
  private active = 0;
  private turnCount = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(readonly slots: number) {
    if (!Number.isInteger(slots) || slots < 1) throw new RangeError('slots must be a positive integer');
  }

  /** Runs `work` (and everything it starts) in this lane. */
  run<T>(work: () => Promise<T>): Promise<T> {
    return BackgroundLane.current.run(this, work);
  }

  /**
   * One I/O call: through a slot when it belongs to background work, straight through otherwise.
   * `holdAtMostMs`: after that long the call gives its slot back and goes on outside the lane. For
   * calls to a remote party that may hang (a Teams chat): a call that long in flight is waiting on
   * the remote, not loading our storage or event loop, and must not keep others' work waiting.
   */
  static call<T>(io: () => Promise<T>, options: { holdAtMostMs?: number } = {}): Promise<T> {
    const lane = BackgroundLane.current.getStore();
    // Waiting for a second slot while holding one could wait forever once all are held.
    return lane && !BackgroundLane.holding.getStore() ? lane.through(io, options.holdAtMostMs) : io();
  }

  /** Runs `io` outside any lane (lease renewals: they keep work alive and must never queue behind it). */
  static bypass<T>(io: () => Promise<T>): Promise<T> {
    return BackgroundLane.current.exit(io);
  }

  /**
   * A turn began; call what it returns once it is answered. While turns are in progress the lane
   * narrows (one slot fewer per turn, never below one), so a burst of turns meets little
   * background traffic, and it widens again as they are answered.
   */
  turnStarted(): () => void {
    this.turnCount++;
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      this.turnCount--;
      this.pump();
    };
  }

  /** Turns in progress (tests, diagnostics). */
  get turns(): number {
    return this.turnCount;
  }

  private get limit(): number {
    return Math.max(1, this.slots - this.turnCount);
  }

  private async through<T>(io: () => Promise<T>, holdAtMostMs?: number): Promise<T> {
    // Behind anyone already waiting, so that slots go out in order.
    if (this.active >= this.limit || this.waiting.length > 0) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.active++;
    let held = true;
    const giveBack = () => {
      if (!held) return;
      held = false;
      this.active--;
      this.pump();
    };
    const timer = holdAtMostMs === undefined ? undefined : setTimeout(giveBack, holdAtMostMs);
    try {
      return await BackgroundLane.holding.run(true, io);
    } finally {
      clearTimeout(timer);
      giveBack();
    }
  }

  /** Starts waiting calls while there is room (a slot came back, or a turn was answered). */
  private pump(): void {
    while (this.active < this.limit && this.waiting.length > 0) {
      this.active++;
      this.waiting.shift()!();
    }
  }
}
