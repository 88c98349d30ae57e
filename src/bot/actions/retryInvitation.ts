import { approvalCard } from '../../cards/views/approvalView';
import { inviteGuest } from '../../domain/usecases/inviteGuest';
import { retryInvitation as retry } from '../../domain/usecases/retryInvitation';
import type { ActionHandler } from '../handler';
import { requestIdFrom } from '../handler';

export const retryInvitation: ActionHandler = async ({ wf, background, turn, data }) => {
  const requestId = requestIdFrom(data);
  if (!requestId) return { text: 'This card does not name a valid request.' };
  const result = await retry(wf, { requestId, actor: turn.user });
  if (result.kind === 'notFound') return { text: `There is no request ${requestId}.` };
  if (result.kind === 'refused') return { card: approvalCard(result.request, result.problem) };
  background.run('inviteGuest', () => inviteGuest(wf, requestId));
  return { card: approvalCard(result.request) };
};
