/**
 * Finishes an approval fan-out that a process left behind: a request stored as Pending whose
 * process died before every approver had the card (the fan-out runs after the submit is answered).
 * Runs from the sweep's walk over Pending (sweepPending.ts), only for requests older than a lease,
 * since a live process may still be sending their cards (routeApprovals skips approvers who have one).
 */
import type { GuestRequest } from '../guestRequest';
import { errorText } from './audit';
import { routeApprovals } from './routeApprovals';
import type { Workflow } from './workflow';

/** Sends the approval cards one request is missing (none, usually); says whether it sent any. */
export async function resumeApprovalRouting(wf: Workflow, request: GuestRequest): Promise<boolean> {
  try {
    const { sent } = await routeApprovals(wf, request);
    return sent > 0;
  } catch (err) {
    wf.log.warn({ requestId: request.id, err: errorText(err) }, 'approval routing not resumed; the next sweep tries again');
    return false;
  }
}
