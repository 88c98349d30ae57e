/** approve and deny share everything but the outcome: one function, two registered verbs. */
import { approvalCard } from '../../cards/views/approvalView';
import { afterDecision } from '../../domain/usecases/afterDecision';
import { decideRequest } from '../../domain/usecases/decideRequest';
import type { ActionHandler } from '../handler';
import { requestIdFrom, stringFrom } from '../handler';

function decideAction(outcome: 'Approved' | 'Denied'): ActionHandler {
  return async ({ wf, background, turn, data }) => {
    const requestId = requestIdFrom(data);
    if (!requestId) return { text: 'This card does not name a valid request.' };
    const result = await decideRequest(wf, { requestId, decider: turn.user, outcome, reason: stringFrom(data, 'reason') });
    switch (result.kind) {
      case 'notFound':
        return { text: `There is no request ${requestId}.` };
      case 'invalid':
        return result.request ? { card: approvalCard(result.request, result.problem) } : { text: result.problem };
      case 'refused':
        if (result.refusal === 'notApprover') return { text: 'Only approvers can decide on guest requests.' };
        if (result.refusal === 'ownRequest') return { card: approvalCard(result.request, "You can't decide on your own request: another approver will.") };
        return {
          card: approvalCard(result.request, result.request.decision ? `Already decided by ${result.request.decision.by.name}.` : `This request is already ${result.request.status}.`),
        };
      case 'decided':
        // Answer now; Graph, the other approvers' cards and the requester's message follow.
        background.run('afterDecision', () => afterDecision(wf, result.request));
        return { card: approvalCard(result.request) };
    }
  };
}

export const approve = decideAction('Approved');
export const deny = decideAction('Denied');
