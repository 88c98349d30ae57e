import { describeProblem } from '../../cards/i18n';
import { requestListCard } from '../../cards/views/requestListView';
import { requestStatusCard } from '../../cards/views/requestStatusView';
import { cancelRequest as cancel } from '../../domain/usecases/request/cancelRequest';
import { myRequests } from '../../domain/usecases/queries';
import { showCurrentState } from '../../domain/usecases/showCurrentState';
import type { ActionHandler } from '../handler';
import { requestIdFrom } from '../handler';

export const cancelRequest: ActionHandler = async ({ wf, background, turn, t, data }) => {
  const requestId = requestIdFrom(data);
  if (!requestId) return { text: t.messages.invalidRequestId };
  const result = await cancel(wf, { requestId, actor: turn.user });
  if (result.kind === 'notFound') return { text: t.messages.noSuchRequest(requestId) };
  const fromList = data.from === 'myRequests';
  if (result.kind === 'refused') {
    // Pressed on a card drawn before a decision: the answer is that card as it is now (the request
    // is the requester's own, so they may see it), without its Cancel.
    if (result.request.status === 'Pending') return { text: describeProblem(t, result.problem) };
    return {
      card: fromList
        ? requestListCard(t, t.list.mineEmpty, await myRequests(wf, turn.user.id))
        : requestStatusCard(t, result.request, { live: true }),
    };
  }
  background.run('showCurrentState', () => showCurrentState(wf, result.request));
  // Pressed on the "my requests" list: the list stays, showing the request cancelled.
  if (fromList) return { card: requestListCard(t, t.list.mineEmpty, await myRequests(wf, turn.user.id)) };
  return { card: requestStatusCard(t, result.request, { live: true }) };
};
