import type { ApprovalMessage, GuestRequest } from '../guestRequest';
import { type CardsShown, refreshApprovalCards } from './approval/refreshApprovalCards';
import { refreshRequesterCard } from './request/refreshRequesterCard';
import type { Workflow } from './workflow';

/**
 * After a stored status change: every card that shows the request (each approver's and the
 * requester's own) shows its current state, but the approval card an invoke's answer has redrawn
 * already (`shown.answered`). Called once per transition, after the write; failures are logged,
 * never thrown. Resolves with the approval cards found (see refreshApprovalCards).
 * Which transitions update which cards: docs/protocol.md §3 (an invitation made updates only the
 * requester's card; see inviteGuest.ts).
 */
export async function showCurrentState(wf: Workflow, request: GuestRequest, shown: CardsShown = {}): Promise<ApprovalMessage[]> {
  const [messages] = await Promise.all([refreshApprovalCards(wf, request, shown), refreshRequesterCard(wf, request)]);
  return messages;
}
