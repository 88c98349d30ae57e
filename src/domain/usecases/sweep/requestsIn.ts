/**
 * The sweep steps' walk over a status: requests in it, oldest first, page by page from the status
 * index, at most `max` of them; a caller that has seen enough simply stops iterating.
 */
import type { GuestRequest, RequestStatus } from '../../guestRequest';
import type { Workflow } from '../workflow';

const PAGE = 50;
/** Slack on top of the expiry period for the windows below (clock skew, a late decision). */
const MARGIN_MS = 2 * 24 * 3_600_000;

export async function* requestsIn(
  wf: Workflow,
  status: RequestStatus,
  options: { createdSince?: string; max?: number } = {},
): AsyncGenerator<GuestRequest> {
  const max = options.max ?? 500;
  const range = options.createdSince ? { createdSince: options.createdSince } : {};
  let seen = 0;
  let cursor: string | undefined;
  do {
    const page = await wf.store.listByStatus(status, PAGE, cursor, range);
    for (const request of page.items) {
      if (++seen > max) return;
      yield request;
    }
    cursor = page.next;
  } while (cursor);
}

/**
 * Where a request that can still have work after its decision begins: decisions happen within the
 * expiry period (`windowMs`) of a request's creation, so older ones are finished. A bounded index
 * range, not a scan of history.
 */
export function decisionWindowStart(wf: Workflow, windowMs: number): string {
  return new Date(wf.clock.now().getTime() - windowMs - MARGIN_MS).toISOString();
}
