/**
 * Finishes work that a process left behind: approved requests whose invitation was never created
 * (a crash between the decision and Graph's answer). Runs at start-up and on a timer; the
 * per-request lease in inviteGuest keeps two sweeping processes from inviting twice.
 */
import { errorText } from './audit';
import { inviteGuest, type InviteStep } from './inviteGuest';
import { requestsIn } from './requestsIn';
import type { Workflow } from './workflow';

export async function sweepOutbox(wf: Workflow, maxRequests = 500): Promise<Record<InviteStep, number>> {
  const counts: Record<InviteStep, number> = { invited: 0, failed: 0, retryLater: 0, busy: 0, nothingToDo: 0 };
  for await (const request of requestsIn(wf, 'Approved', { max: maxRequests })) {
    try {
      counts[await inviteGuest(wf, request.id)]++;
    } catch (err) {
      counts.retryLater++;
      wf.log.warn({ requestId: request.id, err: errorText(err) }, 'sweep step failed');
    }
  }
  return counts;
}
