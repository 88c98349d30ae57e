/**
 * Finishes an approval fan-out that a process left behind: a request stored as Pending whose
 * process died before every approver had the card (the fan-out runs after the submit is answered).
 * Runs from the sweep, under its lease. Requests younger than `graceMs` are left alone, since a
 * live process may still be sending their cards (routeApprovals skips approvers who have one).
 */
import { errorText } from './audit';
import { pendingOlderThan } from './pendingOlderThan';
import { routeApprovals } from './routeApprovals';
import type { Workflow } from './workflow';

export async function resumeApprovalRouting(wf: Workflow, options: { graceMs: number; maxRequests?: number }): Promise<number> {
  const cutoff = wf.clock.now().getTime() - options.graceMs;
  let resumed = 0;
  for await (const request of pendingOlderThan(wf, cutoff, options.maxRequests)) {
    try {
      // routeApprovals sends only the cards that are missing (none, usually).
      const { sent } = await routeApprovals(wf, request);
      if (sent > 0) resumed++;
    } catch (err) {
      wf.log.warn({ requestId: request.id, err: errorText(err) }, 'approval routing not resumed; the next sweep tries again');
    }
  }
  return resumed;
}
