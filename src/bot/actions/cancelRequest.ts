import { describeProblem } from '../../cards/i18n';
import { requestListCard } from '../../cards/views/requestListView';
import { requestStatusCard } from '../../cards/views/requestStatusView';
import { cancelRequest as cancel } from '../../domain/usecases/request/cancelRequest';
import { myRequests } from '../../domain/usecases/queries';
import { refreshApprovalCards } from '../../domain/usecases/approval/refreshApprovalCards';
import type { ActionHandler } from '../handler';
import { requestIdFrom } from '../handler';

export const cancelRequest: ActionHandler = async ({ wf, background, turn, t, data }) => {
  const requestId = requestIdFrom(data);
  if (!requestId) return { text: t.messages.invalidRequestId };
  const result = await cancel(wf, { requestId, actor: turn.user });
  if (result.kind === 'notFound') return { text: t.messages.noSuchRequest(requestId) };
  if (result.kind === 'refused') return { text: describeProblem(t, result.problem) };
  background.run('refreshApprovalCards', () => refreshApprovalCards(wf, result.request));
  // Pressed on the "my requests" list: the list stays, showing the request cancelled.
  if (data.from === 'myRequests') return { card: requestListCard(t, t.list.mineEmpty, await myRequests(wf, turn.user.id)) };
  return { card: requestStatusCard(t, result.request) };
};
