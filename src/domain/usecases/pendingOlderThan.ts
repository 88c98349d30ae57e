import type { GuestRequest } from '../guestRequest';
import type { Workflow } from './workflow';

const PAGE = 50;

/**
 * Pending requests created at or before `cutoffMs`, oldest first, at most `max` of them. The status
 * index is ordered by creation time, so the first request that is too young ends the walk: the sweep
 * steps that depend on age (expiry, reminders, resumed fan-out) never read the whole backlog.
 */
export async function* pendingOlderThan(wf: Workflow, cutoffMs: number, max = 500): AsyncGenerator<GuestRequest> {
  let seen = 0;
  let cursor: string | undefined;
  do {
    const page = await wf.store.listByStatus('Pending', PAGE, cursor);
    for (const request of page.items) {
      if (!(Date.parse(request.createdAt) <= cutoffMs) || ++seen > max) return;
      yield request;
    }
    cursor = page.next;
  } while (cursor);
}
