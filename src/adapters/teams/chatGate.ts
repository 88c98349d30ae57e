/**
 * At most a few calls in flight per destination chat. Teams answers one chat's calls slowly or not at
 * all at times (a throttled or broken conversation); without a cap, every message for that chat
 * would be in flight at once, each holding a connection and, in the background lane, a slot. The
 * excess waits here, outside the lane, and takes nothing from other people's chats.
 */
export class ChatGate {
  private readonly chats = new Map<string, { active: number; waiting: Array<() => void> }>();

  constructor(readonly perChat: number) {
    if (!Number.isInteger(perChat) || perChat < 1) throw new RangeError('perChat must be a positive integer');
  }

  async run<T>(chat: string, call: () => Promise<T>): Promise<T> {
    let entry = this.chats.get(chat);
    if (!entry) {
      entry = { active: 0, waiting: [] };
      this.chats.set(chat, entry);
    }
    if (entry.active >= this.perChat) await new Promise<void>((resolve) => entry.waiting.push(resolve));
    else entry.active++;
    try {
      return await call();
    } finally {
      const next = entry.waiting.shift();
      // The slot passes straight to the next waiter; the last one out forgets the chat.
      if (next) next();
      else if (--entry.active === 0) this.chats.delete(chat);
    }
  }

  /** Calls in flight to `chat` (tests, diagnostics). */
  inFlight(chat: string): number {
    return this.chats.get(chat)?.active ?? 0;
  }
}
