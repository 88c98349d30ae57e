import { approvalCard } from '../../cards/views/approvalView';
import { approvalViewFor } from '../../domain/usecases/queries';
import type { ActionHandler } from '../handler';
import { inApprovalChannel, requestIdFrom } from '../handler';

/**
 * Teams asks for a user's own view of a channel approval card (Universal Actions `refresh`, sent
 * for the users named in the card's userIds): buttons for those who may decide, read-only for the
 * requester and for the members of the approvers' channel, "no such request" for anyone else.
 */
export const refreshApproval: ActionHandler = async ({ wf, turn, t, data }) => {
  const requestId = requestIdFrom(data);
  if (!requestId) return { text: t.messages.invalidRequestId };
  const view = await approvalViewFor(wf, requestId, { person: turn.user, inApprovalChannel: inApprovalChannel(wf, turn) });
  if (view.kind === 'notFound') return { text: t.messages.noSuchRequest(requestId) };
  return { card: approvalCard(t, view.request, '', { readOnly: !view.mayAct, refreshFor: view.deciders }) };
};
