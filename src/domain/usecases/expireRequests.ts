/**
 * Pending requests nobody decided within the expiry period become Expired: the requester is told
 * and every approval card shows it. Runs from the sweep (one instance at a time, under its lease);
 * each expiry is a conditional write, so a decision racing with it wins or loses cleanly.
 */
import { transition } from '../lifecycle/transitions';
import { errorText, SYSTEM } from './audit';
import { updateRequest } from './conditionalUpdate';
import { deliverOutcome } from './deliverOutcome';
import { pendingOlderThan } from './pendingOlderThan';
import type { Workflow } from './workflow';

export interface ExpiryOptions {
  /** A request created this long ago (or longer) and still Pending expires. */
  readonly expiryMs: number;
  /** At most this many requests looked at per run. */
  readonly maxRequests?: number;
}

export async function expireRequests(wf: Workflow, options: ExpiryOptions): Promise<number> {
  const cutoff = wf.clock.now().getTime() - options.expiryMs;
  let expired = 0;
  const detail = `no decision within ${Math.round(options.expiryMs / 86_400_000)} days`;
  for await (const candidate of pendingOlderThan(wf, cutoff, options.maxRequests)) {
    try {
      const outcome = await updateRequest(wf, candidate.id, (current) =>
        current.status === 'Pending' && Date.parse(current.createdAt) <= cutoff
          ? { write: transition(current, 'Expired', wf.clock.now()), audit: { by: SYSTEM, detail }, result: undefined }
          : { result: undefined },
      );
      if (outcome.found && outcome.written) {
        expired++;
        wf.log.info({ requestId: candidate.id }, 'request expired');
        await deliverOutcome(wf, outcome.request);
      }
    } catch (err) {
      wf.log.warn({ requestId: candidate.id, err: errorText(err) }, 'expiry step failed; the next sweep tries again');
    }
  }
  return expired;
}
