/**
 * Sends the requester their outcome message and says how it went. A permanent refusal by Teams
 * (the requester blocked the bot, say) is an answer, not an error: the request records it and the
 * decision stands; anything else is tried again by the next sweep.
 */
import type { GuestRequest } from '../guestRequest';
import { PermanentDeliveryError } from '../ports';
import { errorText } from './audit';
import type { Workflow } from './workflow';

export type Told = { kind: 'told' } | { kind: 'unreachable'; status: number } | { kind: 'retryLater' };

/** `send` is the message to deliver: by default the outcome; the team step sends its own. */
export async function tellRequester(
  wf: Workflow,
  request: GuestRequest,
  send: (request: GuestRequest) => Promise<void> = (r) => wf.notifier.notifyRequester(r),
): Promise<Told> {
  try {
    await send(request);
    return { kind: 'told' };
  } catch (err) {
    if (err instanceof PermanentDeliveryError) {
      wf.log.warn({ requestId: request.id, status: err.status }, 'requester unreachable in Teams; recorded, not retried');
      return { kind: 'unreachable', status: err.status };
    }
    wf.log.warn({ requestId: request.id, err: errorText(err) }, 'requester not reached; the next sweep tries again');
    return { kind: 'retryLater' };
  }
}

/** The fields that record how telling went, to store with the request. */
export function toldFields(wf: Workflow, told: Exclude<Told, { kind: 'retryLater' }>): Pick<GuestRequest, 'requesterNotifiedAt' | 'requesterUnreachable'> {
  const at = wf.clock.now().toISOString();
  return told.kind === 'told' ? { requesterNotifiedAt: at } : { requesterUnreachable: { at, status: told.status } };
}
