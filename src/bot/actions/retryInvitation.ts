import { describeProblem } from '../../cards/i18n';
import { approvalCard } from '../../cards/views/approvalView';
import { inviteGuest } from '../../domain/usecases/outbox/inviteGuest';
import { problem } from '../../domain/problems';
import { refreshRequesterCard } from '../../domain/usecases/request/refreshRequesterCard';
import { retryInvitation as retry } from '../../domain/usecases/outbox/retryInvitation';
import type { ActionHandler } from '../handler';
import { requestIdFrom } from '../handler';

export const retryInvitation: ActionHandler = async ({ wf, background, turn, t, data }) => {
  const requestId = requestIdFrom(data);
  if (!requestId) return { text: t.messages.invalidRequestId };
  const result = await retry(wf, { requestId, actor: turn.user });
  if (result.kind === 'notFound') return { text: t.messages.noSuchRequest(requestId) };
  if (result.kind === 'notApprover') return { text: describeProblem(t, problem('retry.notApprover')) };
  if (result.kind === 'refused') {
    // Not theirs to retry (a Member invitation): the card loses its button for them.
    const readOnly = result.problem.code === 'retry.memberApproversOnly';
    return { card: approvalCard(t, result.request, describeProblem(t, result.problem), { readOnly }) };
  }
  // The requester's card shows "inviting…" again; the outbox's own update waits for it (inviteGuest.ts).
  const requesterCard = refreshRequesterCard(wf, result.request);
  background.run('inviteGuest', () => inviteGuest(wf, requestId, { cardsBefore: requesterCard }));
  return { card: approvalCard(t, result.request) };
};
