import { describeProblem } from '../../cards/i18n';
import { approvalCard } from '../../cards/views/approvalView';
import { problem } from '../../domain/problems';
import { afterDecision } from '../../domain/usecases/approval/afterDecision';
import { retryInvitation as retry } from '../../domain/usecases/outbox/retryInvitation';
import type { ActionHandler } from '../handler';
import { answeredCard, ownCardRefresh, requestIdFrom } from '../handler';

export const retryInvitation: ActionHandler = async ({ wf, background, turn, t, data }) => {
  const requestId = requestIdFrom(data);
  if (!requestId) return { text: t.messages.invalidRequestId };
  const result = await retry(wf, { requestId, actor: turn.user });
  if (result.kind === 'notFound') return { text: t.messages.noSuchRequest(requestId) };
  if (result.kind === 'notApprover') return { text: describeProblem(t, problem('retry.notApprover')) };
  if (result.kind === 'refused') {
    // Not theirs to retry (a Member invitation): the card loses its button for them.
    const readOnly = result.problem.code === 'retry.memberApproversOnly';
    return { card: approvalCard(t, result.request, describeProblem(t, result.problem), { readOnly, refreshFor: ownCardRefresh(turn) }) };
  }
  // Approved again: as after a decision, the other approvers' cards now, the requester's once the
  // invitation step has an outcome (or "inviting…" if it does not finish now); this answer is the
  // clicked card (afterDecision.ts).
  background.run('afterRetry', () => afterDecision(wf, result.request, answeredCard(turn)));
  return { card: approvalCard(t, result.request, '', { refreshFor: ownCardRefresh(turn) }) };
};
