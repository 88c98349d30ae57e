import type { GuestRequest } from '../guestRequest';
import { requestsIn } from './requestsIn';
import type { Workflow } from './workflow';

/**
 * Pending requests created at or before `cutoffMs`, oldest first, at most `max` of them. The status
 * index is ordered by creation time, so the first request that is too young ends the walk: the sweep
 * steps that depend on age (expiry, reminders, resumed fan-out) never read the whole backlog.
 */
export async function* pendingOlderThan(wf: Workflow, cutoffMs: number, max = 500): AsyncGenerator<GuestRequest> {
  for await (const request of requestsIn(wf, 'Pending', { max })) {
    if (!(Date.parse(request.createdAt) <= cutoffMs)) return;
    yield request;
  }
}
