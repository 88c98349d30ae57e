/**
 * Tells everyone what became of a request: every approver's card shows the current state, the
 * requester hears the outcome once (the stored `requesterNotifiedAt` keeps a re-run from telling
 * them twice), and on failure the deciding approver hears it too.
 */
import type { GuestRequest } from '../guestRequest';
import { sameId } from '../lifecycle/authorization';
import { errorText } from './audit';
import { updateRequest } from './conditionalUpdate';
import { refreshApprovalCards } from './refreshApprovalCards';
import type { Workflow } from './workflow';

const OUTCOMES_FOR_REQUESTER = new Set(['Invited', 'Denied', 'Failed', 'Expired']);

export async function deliverOutcome(wf: Workflow, request: GuestRequest): Promise<void> {
  await refreshApprovalCards(wf, request);
  if (!OUTCOMES_FOR_REQUESTER.has(request.status) || request.requesterNotifiedAt) return;

  try {
    await wf.notifier.notifyRequester(request);
  } catch (err) {
    wf.log.warn({ requestId: request.id, err: errorText(err) }, 'requester not reached; will retry on the next sweep');
    return;
  }
  await updateRequest(wf, request.id, (current) =>
    current.status === request.status && !current.requesterNotifiedAt
      ? { write: { ...current, requesterNotifiedAt: wf.clock.now().toISOString() }, result: undefined }
      : { result: undefined },
  );

  if (request.status === 'Failed' && request.decision) {
    const deciderId = request.decision.by.id;
    const messages = await wf.store.listApprovalMessages(request.id);
    const deciderCard = messages.find((m) => sameId(m.approverId, deciderId));
    if (deciderCard) {
      await wf.notifier.notifyApprover(deciderCard, request).catch((err: unknown) =>
        wf.log.warn({ requestId: request.id, err: errorText(err) }, 'deciding approver not told of the failure'),
      );
    }
  }
}
