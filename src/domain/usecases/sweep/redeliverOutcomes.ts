/**
 * The sweep's second chance for outcome messages that did not go out (Teams was down when a request
 * was denied or expired): such requests stay open (domain/lifecycle/workLeft.ts) until they are
 * told. Decisions happen within the expiry period of a request's creation, so only requests
 * created within that window (plus a margin) are tried again.
 */
import { errorText } from '../audit';
import { awaitsTelling, deliverOutcome, TOLD_HERE } from '../outbox/deliverOutcome';
import { decisionWindowStart, requestsIn, within, type OpenRequests } from './requestsIn';
import type { Workflow } from '../workflow';

export async function redeliverOutcomes(
  wf: Workflow,
  options: {
    windowMs: number;
    maxRequests?: number;
    /** The open requests the sweep's walk found, by status (sweep.ts); without them, the step lists its own. */
    found?: OpenRequests;
  },
): Promise<number> {
  const createdSince = decisionWindowStart(wf, options.windowMs);
  let budget = options.maxRequests ?? 500;
  let delivered = 0;
  for (const status of TOLD_HERE) {
    const requests = options.found
      ? within(options.found[status], createdSince, budget)
      : requestsIn(wf, status, { createdSince, max: budget });
    for await (const request of requests) {
      budget--;
      if (!awaitsTelling(request)) continue;
      try {
        await deliverOutcome(wf, request);
        delivered++;
      } catch (err) {
        wf.log.warn({ requestId: request.id, err: errorText(err) }, 'outcome not redelivered; the next sweep tries again');
      }
    }
    if (budget <= 0) break;
  }
  return delivered;
}
