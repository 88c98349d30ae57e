/**
 * Finishes work that a process left behind: approved requests whose invitation was never created
 * (a crash between the decision and Graph's answer). Runs at start-up and on a timer; the
 * per-request lease in inviteGuest keeps two sweeping processes from inviting twice.
 */
import { errorText } from './audit';
import { inviteGuest, type InviteStep } from './inviteGuest';
import type { Workflow } from './workflow';

const SWEEP_PAGE = 50;

export async function sweepOutbox(wf: Workflow, maxRequests = 500): Promise<Record<InviteStep, number>> {
  const counts: Record<InviteStep, number> = { invited: 0, failed: 0, retryLater: 0, busy: 0, nothingToDo: 0 };
  let cursor: string | undefined;
  let seen = 0;
  do {
    const page = await wf.store.listByStatus('Approved', SWEEP_PAGE, cursor);
    for (const request of page.items) {
      try {
        counts[await inviteGuest(wf, request.id)]++;
      } catch (err) {
        counts.retryLater++;
        wf.log.warn({ requestId: request.id, err: errorText(err) }, 'sweep step failed');
      }
    }
    seen += page.items.length;
    cursor = page.next;
  } while (cursor && seen < maxRequests);
  return counts;
}
