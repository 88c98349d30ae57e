/**
 * The sweep's second chance for outcome messages that did not go out (Teams was down when a request
 * was denied or expired). Decisions happen within the expiry period of a request's creation, so
 * only requests created within that window (plus a margin) can still be waiting: a bounded range of
 * the status index, not a scan of history.
 */
import { errorText } from './audit';
import { awaitsTelling, deliverOutcome, TOLD_HERE } from './deliverOutcome';
import type { Workflow } from './workflow';

const PAGE = 50;
const MARGIN_MS = 2 * 24 * 3_600_000;

export async function redeliverOutcomes(wf: Workflow, options: { windowMs: number; maxRequests?: number }): Promise<number> {
  const createdSince = new Date(wf.clock.now().getTime() - options.windowMs - MARGIN_MS).toISOString();
  const max = options.maxRequests ?? 500;
  let delivered = 0;
  let seen = 0;
  for (const status of TOLD_HERE) {
    let cursor: string | undefined;
    do {
      const page = await wf.store.listByStatus(status, PAGE, cursor, { createdSince });
      for (const request of page.items) {
        if (++seen > max) return delivered;
        if (!awaitsTelling(request)) continue;
        try {
          await deliverOutcome(wf, request);
          delivered++;
        } catch (err) {
          wf.log.warn({ requestId: request.id, err: errorText(err) }, 'outcome not redelivered; the next sweep tries again');
        }
      }
      cursor = page.next;
    } while (cursor);
  }
  return delivered;
}
