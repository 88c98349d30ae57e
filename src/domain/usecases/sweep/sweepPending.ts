/**
 * What time alone decides for Pending requests, in one walk over the Pending index (oldest first,
 * bounded): each request old enough for a step gets it. Expiry first (an expired request needs no
 * reminder and no cards); then the one reminder; then the approval cards a crashed process never
 * sent (claimed through the request's routing lease, so no live fan-out is raced).
 *
 * Every Pending request is read: any may be missing approval cards (one listing each, and a lease
 * only for those that are).
 */
import { expireRequest } from './expireRequests';
import { remindApproversOf } from '../approval/remindApprovers';
import { requestsIn } from './requestsIn';
import { resumeApprovalRouting } from '../approval/resumeApprovalRouting';
import type { GuestRequest } from '../../guestRequest';
import type { Workflow } from '../workflow';

export interface PendingSweepSettings {
  /** A request created this long ago (or longer) and still Pending expires. */
  readonly expiryMs: number;
  /** A request created this long ago (or longer) and still Pending gets one reminder. */
  readonly reminderMs: number;
}

export async function sweepPending(
  wf: Workflow,
  settings: PendingSweepSettings,
  /** The Pending requests the sweep's walk found (sweep.ts); without them, the step lists its own. */
  requests?: readonly GuestRequest[],
): Promise<{ expired: number; reminded: number; rerouted: number }> {
  const now = wf.clock.now().getTime();
  const youngest = now; // every Pending request may be missing cards (routing is claimed by lease, not by age)
  const days = Math.round(settings.expiryMs / 86_400_000);
  const counts = { expired: 0, reminded: 0, rerouted: 0 };
  for await (const request of requests ?? requestsIn(wf, 'Pending')) {
    const created = Date.parse(request.createdAt);
    if (!(created <= youngest)) break;
    if (created <= now - settings.expiryMs && (await expireRequest(wf, request, now - settings.expiryMs, days))) {
      counts.expired++;
      continue;
    }
    if (created <= now - settings.reminderMs && (await remindApproversOf(wf, request))) counts.reminded++;
    if (await resumeApprovalRouting(wf, request)) counts.rerouted++;
  }
  return counts;
}
