import type { ApprovalMessage, GuestRequest } from '../../guestRequest';
import { errorText } from '../audit';
import type { Workflow } from '../workflow';

/**
 * Shows the request's current state on every approver's card (one failure doesn't stop the rest).
 * Resolves with the cards it found, for callers with more to say to one of those approvers.
 */
export async function refreshApprovalCards(
  wf: Workflow,
  request: GuestRequest,
  /** The cards, when the caller read them with the request (saves a read). */
  known?: readonly ApprovalMessage[],
): Promise<ApprovalMessage[]> {
  const messages = known ? [...known] : await wf.store.listApprovalMessages(request.id);
  await Promise.all(
    messages.map(async (message) => {
      try {
        await wf.notifier.updateApprovalCard(message, request);
      } catch (err) {
        wf.log.warn({ requestId: request.id, approverId: message.approverId, err: errorText(err) }, 'approval card not updated');
      }
    }),
  );
  return messages;
}
