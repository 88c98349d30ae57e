import type { ApprovalMessage, GuestRequest } from '../guestRequest';
import { refreshApprovalCards } from './approval/refreshApprovalCards';
import { refreshRequesterCard } from './request/refreshRequesterCard';
import type { Workflow } from './workflow';

/**
 * After a stored status change: every card that shows the request (each approver's and the
 * requester's own) shows its current state. Called once per transition, after the write; failures
 * are logged, never thrown. Resolves with the approval cards found (see refreshApprovalCards).
 */
export async function showCurrentState(wf: Workflow, request: GuestRequest): Promise<ApprovalMessage[]> {
  const [messages] = await Promise.all([refreshApprovalCards(wf, request), refreshRequesterCard(wf, request)]);
  return messages;
}
