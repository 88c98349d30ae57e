import { requestStatusCard } from '../../cards/views/requestStatusView';
import { cancelRequest as cancel } from '../../domain/usecases/cancelRequest';
import { refreshApprovalCards } from '../../domain/usecases/refreshApprovalCards';
import type { ActionHandler } from '../handler';
import { requestIdFrom } from '../handler';

export const cancelRequest: ActionHandler = async ({ wf, background, turn, data }) => {
  const requestId = requestIdFrom(data);
  if (!requestId) return { text: 'This card does not name a valid request.' };
  const result = await cancel(wf, { requestId, actor: turn.user });
  if (result.kind === 'notFound') return { text: `There is no request ${requestId}.` };
  if (result.kind === 'refused') return { text: result.problem };
  background.run('refreshApprovalCards', () => refreshApprovalCards(wf, result.request));
  return { card: requestStatusCard(result.request) };
};
