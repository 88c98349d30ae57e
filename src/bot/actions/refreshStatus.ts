import { requestStatusCard } from '../../cards/views/requestStatusView';
import { requesterViewFor } from '../../domain/usecases/queries';
import type { ActionHandler } from '../handler';
import { requestIdFrom } from '../handler';

/**
 * Teams asks for the current state of a requester's status card as it is shown (Universal Actions
 * `refresh`, for the requester named in its userIds): the card as the request stands now; for
 * anyone but the requester "no such request", as for an id that does not exist.
 */
export const refreshStatus: ActionHandler = async ({ wf, turn, t, data }) => {
  const requestId = requestIdFrom(data);
  if (!requestId) return { text: t.messages.invalidRequestId };
  const view = await requesterViewFor(wf, requestId, { person: turn.user });
  if (view.kind === 'notFound') return { text: t.messages.noSuchRequest(requestId) };
  return { card: requestStatusCard(t, view.request, { live: true }) };
};
