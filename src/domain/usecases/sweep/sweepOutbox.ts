/**
 * Finishes work that a process left behind: approved requests whose invitation was never created
 * (a crash between the decision, an outage, Graph's answer). Runs at start-up and on a timer; the
 * per-request lease in inviteGuest keeps two sweeping processes from inviting twice.
 *
 * After an outage the outbox can hold many requests: they are worked on `concurrency` at a time
 * (INVITE_CONCURRENCY), so the drain runs at the Graph pacer's rate (INVITES_PER_SECOND), as live
 * traffic does, instead of one request (and one Graph retry budget) after another.
 */
import { errorText } from '../audit';
import { inviteGuest, type InviteStep } from '../outbox/inviteGuest';
import type { GuestRequest } from '../../guestRequest';
import { requestsIn } from './requestsIn';
import type { Workflow } from '../workflow';

export interface OutboxSweepOptions {
  readonly maxRequests?: number;
  /** Requests in flight at once (default 1). */
  readonly concurrency?: number;
  /** The Approved requests the sweep's walk found (sweep.ts); without them, the step lists its own. */
  readonly requests?: readonly GuestRequest[];
}

export async function sweepOutbox(wf: Workflow, options: OutboxSweepOptions = {}): Promise<Record<InviteStep, number>> {
  const counts: Record<InviteStep, number> = { invited: 0, failed: 0, retryLater: 0, busy: 0, nothingToDo: 0 };
  const running = new Set<Promise<void>>();
  const limit = Math.max(1, Math.floor(options.concurrency ?? 1));
  const step = async (requestId: string) => {
    try {
      counts[await inviteGuest(wf, requestId)]++;
    } catch (err) {
      counts.retryLater++;
      wf.log.warn({ requestId, err: errorText(err) }, 'sweep step failed');
    }
  };
  const max = options.maxRequests ?? 500;
  const found = options.requests?.slice(0, max) ?? requestsIn(wf, 'Approved', { max });
  for await (const request of found) {
    const task: Promise<void> = step(request.id).finally(() => running.delete(task));
    running.add(task);
    if (running.size >= limit) await Promise.race(running);
  }
  await Promise.all(running);
  return counts;
}
