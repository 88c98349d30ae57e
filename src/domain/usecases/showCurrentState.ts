import type { ApprovalMessage, GuestRequest } from '../guestRequest';
import { refreshApprovalCards } from './approval/refreshApprovalCards';
import { refreshRequesterCard } from './request/refreshRequesterCard';
import type { Workflow } from './workflow';

/**
 * After a stored status change: every card that shows the request (each approver's and the
 * requester's own) shows its current state. Called once per transition, after the write; failures
 * are logged, never thrown. Resolves with the approval cards found (see refreshApprovalCards).
 */
export async function showCurrentState(
  wf: Workflow,
  request: GuestRequest,
  /** The approval cards, when the caller read them with the request. */
  known?: readonly ApprovalMessage[],
): Promise<ApprovalMessage[]> {
  const [messages] = await Promise.all([refreshApprovalCards(wf, request, known), refreshRequesterCard(wf, request)]);
  return messages;
}
