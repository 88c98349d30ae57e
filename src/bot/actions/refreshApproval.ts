import { approvalCard } from '../../cards/views/approvalView';
import { approvalViewFor } from '../../domain/usecases/queries';
import type { ActionHandler } from '../handler';
import { inApprovalChannel, ownCardRefresh, requestIdFrom } from '../handler';

/**
 * Teams asks for a user's own view of an approval card (Universal Actions `refresh`, sent for the
 * users named in the card's userIds): a channel card's deciders, or the approver whose 1:1 card it
 * is. Buttons for those who may decide, read-only for the requester and for the members of the
 * approvers' channel, "no such request" for anyone else. A 1:1 card's answer keeps its refresh for
 * that approver alone, so it goes on showing the current state (e.g. Invited after "Approved by …").
 */
export const refreshApproval: ActionHandler = async ({ wf, turn, t, data }) => {
  const requestId = requestIdFrom(data);
  if (!requestId) return { text: t.messages.invalidRequestId };
  const view = await approvalViewFor(wf, requestId, { person: turn.user, inApprovalChannel: inApprovalChannel(wf, turn) });
  if (view.kind === 'notFound') return { text: t.messages.noSuchRequest(requestId) };
  const refreshFor = turn.personal ? ownCardRefresh(turn) : view.deciders;
  return { card: approvalCard(t, view.request, '', { readOnly: !view.mayAct, refreshFor }) };
};
