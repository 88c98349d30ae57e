/**
 * What each card this process updated shows now, so that an update with the same content is not
 * sent again (or, while the first is still on its way, rides on it). Two refreshes of one card
 * with the same request version happen when a decision races the approval fan-out: the decision
 * refreshes the cards saved so far, routing then refreshes every card it sent.
 *
 * Kept by digest, bounded (least recently used out), per process. The races it serves last seconds,
 * so the most recent thousand cards are plenty (a soak showed ten thousand still filling after half
 * an hour of flows, its memory growing with them): a forgotten entry costs one
 * update that changes nothing; an update from another process is simply not known here, and a
 * failed send is forgotten so the next caller tries again. Nor is the view an invoke answer gave
 * the approver who clicked (a "reason needed" note, say): it stays until the request changes.
 */
import { createHash } from 'node:crypto';
import { RecentMap } from '../system/recentMap';

interface Shown {
  readonly digest: string;
  readonly sending: Promise<void>;
}

export class ShownCards {
  private readonly cards: RecentMap<Shown>;

  constructor(capacity = 1_000) {
    this.cards = new RecentMap(capacity);
  }

  /** Runs `send` unless this card already shows (or is being sent) exactly `content`. */
  async update(conversationId: string, activityId: string, content: unknown, send: () => Promise<void>): Promise<void> {
    const key = `${conversationId}\n${activityId}`;
    const digest = createHash('sha256').update(JSON.stringify(content)).digest('base64');
    const current = this.cards.get(key);
    if (current?.digest === digest) {
      try {
        return await current.sending;
      } catch {
        // That send failed: ours is a new attempt.
      }
    }
    const sending = send();
    this.cards.set(key, { digest, sending });
    try {
      await sending;
    } catch (err) {
      if (this.cards.get(key)?.sending === sending) this.cards.delete(key);
      throw err;
    }
  }
}
