/**
 * Finishes an approval fan-out that a process left behind: a request stored as Pending whose
 * process died before every approver had the card (the fan-out runs after the submit is answered).
 * Runs from the sweep's walk over Pending (sweepPending.ts). The submitting process holds the
 * request's routing lease (`route`, kept with the request) from the submit until its fan-out is done, so a live fan-out
 * is never raced, and a dead one is resumed as soon as its lease lapses (one TTL, no fixed grace).
 */
import type { GuestRequest } from '../../guestRequest';
import { errorText } from '../audit';
import { cardsMissing, routeApprovals } from './routeApprovals';
import type { Workflow } from '../workflow';
import { DEFAULT_LEASE_MS, withRequestLease } from '../withLease';

/** Sends the approval cards one request is missing (none, usually); says whether it sent any. */
export async function resumeApprovalRouting(wf: Workflow, request: GuestRequest): Promise<boolean> {
  try {
    // One read when every card is there (the usual case): no lease taken.
    if (!(await cardsMissing(wf, request))) return false;
    const leased = await withRequestLease(wf, request.id, 'route', wf.inviteLeaseMs ?? DEFAULT_LEASE_MS, async (hold) => {
      const current = await wf.store.get(request.id);
      if (current?.value.status !== 'Pending') return 0;
      return (await routeApprovals(wf, current.value, { check: () => hold.check(), leaseOwner: hold.owner, etag: current.etag })).sent;
    });
    return leased.held && leased.result > 0;
  } catch (err) {
    wf.log.warn({ requestId: request.id, err: errorText(err) }, 'approval routing not resumed; the next sweep tries again');
    return false;
  }
}
