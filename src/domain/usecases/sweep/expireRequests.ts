/**
 * Pending requests nobody decided within the expiry period become Expired: the requester is told
 * and every approval card shows it. Runs from the sweep's walk over Pending (sweepPending.ts);
 * each expiry is a conditional write, so a decision racing with it wins or loses cleanly.
 */
import { transition } from '../../lifecycle/transitions';
import { errorText, SYSTEM } from '../audit';
import { updateRequest } from '../conditionalUpdate';
import { deliverOutcome } from '../outbox/deliverOutcome';
import type { GuestRequest } from '../../guestRequest';
import type { Workflow } from '../workflow';

/**
 * Expires one request if it is still Pending and was created at or before `cutoff` (ms); says
 * whether it did. `days` is the expiry period, for the audit entry.
 */
export async function expireRequest(wf: Workflow, candidate: GuestRequest, cutoff: number, days: number): Promise<boolean> {
  try {
    const outcome = await updateRequest(wf, candidate.id, (current) =>
      current.status === 'Pending' && Date.parse(current.createdAt) <= cutoff
        ? {
            write: transition(current, 'Expired', wf.clock.now()),
            audit: { by: SYSTEM, detail: `no decision within ${days} days` },
            result: undefined,
          }
        : { result: undefined },
    );
    if (!outcome.found || !outcome.written) return false;
    wf.log.info({ requestId: candidate.id }, 'request expired');
    await deliverOutcome(wf, outcome.request);
    return true;
  } catch (err) {
    wf.log.warn({ requestId: candidate.id, err: errorText(err) }, 'expiry step failed; the next sweep tries again');
    return false;
  }
}
