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

/** Of the requests a walk found, those created at or after `createdSince`, at most `max`. */
export function within(requests: readonly GuestRequest[] | undefined, createdSince: string, max: number): GuestRequest[] {
  const since = Date.parse(createdSince);
  return (requests ?? []).filter((r) => Date.parse(r.createdAt) >= since).slice(0, Math.max(0, max));
}

/** What one sweep found open, by status: each step takes its share (sweep.ts). */
export type OpenRequests = Partial<Record<RequestStatus, GuestRequest[]>>;

/**
 * The sweep's one walk over the open requests (oldest first, at most `max`), sorted by status: one
 * listing of the index per sweep, however many steps use it.
 */
export async function openRequests(wf: Workflow, max: number): Promise<OpenRequests> {
  const open: OpenRequests = {};
  let seen = 0;
  let cursor: string | undefined;
  do {
    const page = await wf.store.listOpen(PAGE, cursor);
    for (const request of page.items) {
      if (++seen > max) return open;
      (open[request.status] ??= []).push(request);
    }
    cursor = page.next;
  } while (cursor);
  return open;
}

/**
 * Where a request that can still have work after its decision begins: decisions happen within the
 * expiry period (`windowMs`) of a request's creation, so older ones are finished. A bounded index
 * range, not a scan of history.
 */
export function decisionWindowStart(wf: Workflow, windowMs: number): string {
  return new Date(wf.clock.now().getTime() - windowMs - MARGIN_MS).toISOString();
}
