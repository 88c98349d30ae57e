/**
 * Finishes an approval fan-out that a process left behind: a request stored as Pending whose
 * process died before every approver had the card (the fan-out runs after the submit is answered).
 * Runs from the sweep, under its lease. Requests younger than `graceMs` are left alone, since a
 * live process may still be sending their cards (routeApprovals skips approvers who have one).
 */
import { sameId } from '../lifecycle/authorization';
import { errorText } from './audit';
import { channelApprovalKey, routeApprovals } from './routeApprovals';
import type { Workflow } from './workflow';

const PAGE = 50;

export async function resumeApprovalRouting(wf: Workflow, options: { graceMs: number; maxRequests?: number }): Promise<number> {
  const max = options.maxRequests ?? 500;
  const cutoff = wf.clock.now().getTime() - options.graceMs;
  let resumed = 0;
  let seen = 0;
  let cursor: string | undefined;
  do {
    const page = await wf.store.listByStatus('Pending', PAGE, cursor);
    for (const request of page.items) {
      // Oldest first: the first request still within its grace ends the run.
      if (!(Date.parse(request.createdAt) <= cutoff)) return resumed;
      if (++seen > max) return resumed;
      try {
        const have = new Set((await wf.store.listApprovalMessages(request.id)).map((m) => m.approverId.toLowerCase()));
        const missing = wf.approvalChannelId
          ? have.has(channelApprovalKey(wf.approvalChannelId).toLowerCase())
            ? []
            : [wf.approvalChannelId]
          : (await wf.approvers.list()).filter((id) => !sameId(id, request.requester.id) && !have.has(id.toLowerCase()));
        if (missing.length === 0) continue;
        const { sent } = await routeApprovals(wf, request.id);
        if (sent > 0) resumed++;
      } catch (err) {
        wf.log.warn({ requestId: request.id, err: errorText(err) }, 'approval routing not resumed; the next sweep tries again');
      }
    }
    cursor = page.next;
  } while (cursor);
  return resumed;
}
