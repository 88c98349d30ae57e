import type { GuestRequest } from '../../guestRequest';
import { errorText } from '../audit';
import type { Workflow } from '../workflow';

/**
 * Shows the request's current state on the requester's status card (the message their submit
 * replaced). Best effort, never retried: the card is a view, not the record. The outcome message
 * (tellRequester.ts) is what is delivered reliably, and the card's Universal Actions refresh
 * redraws it from stored state whenever the requester opens it (docs/protocol.md).
 */
export async function refreshRequesterCard(wf: Workflow, request: GuestRequest): Promise<void> {
  if (!request.requesterCardId) return;
  try {
    await wf.notifier.updateRequesterCard(request);
  } catch (err) {
    wf.log.warn({ requestId: request.id, status: request.status, err: errorText(err) }, 'requester card not updated');
  }
}
