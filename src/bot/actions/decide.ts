/** approve and deny share everything but the outcome: one function, two registered verbs. */
import { describeProblem } from '../../cards/i18n';
import { approvalCard } from '../../cards/views/approvalView';
import { afterDecision } from '../../domain/usecases/approval/afterDecision';
import { decideRequest } from '../../domain/usecases/approval/decideRequest';
import type { ActionHandler } from '../handler';
import { answeredCard, ownCardRefresh, requestIdFrom, stringFrom } from '../handler';

function decideAction(outcome: 'Approved' | 'Denied'): ActionHandler {
  return async ({ wf, background, turn, t, data }) => {
    const requestId = requestIdFrom(data);
    if (!requestId) return { text: t.messages.invalidRequestId };
    const answered = answeredCard(turn);
    const result = await decideRequest(wf, {
      requestId,
      decider: turn.user,
      outcome,
      reason: stringFrom(data, 'reason'),
      answeredCardId: answered.answered?.activityId,
    });
    // The answer replaces the clicked card; in the approver's own chat it keeps their refresh.
    const refreshFor = ownCardRefresh(turn);
    switch (result.kind) {
      case 'notFound':
        return { text: t.messages.noSuchRequest(requestId) };
      case 'notApprover':
        return { text: t.messages.notApprover };
      case 'invalid':
        return { card: approvalCard(t, result.request, describeProblem(t, result.problem), { refreshFor }) };
      case 'refused': {
        const { request } = result;
        // (Not reached: loadRequestFor answers a non-approver before reading; kept for the type.)
        if (result.refusal === 'notApprover') return { text: t.messages.notApprover };
        if (result.refusal === 'ownRequest') return { card: approvalCard(t, request, t.approval.ownRequest, { refreshFor }) };
        // An approver who may not decide a Member invitation sees it without buttons, and who may.
        if (result.refusal === 'memberApproversOnly')
          return { card: approvalCard(t, request, t.approval.memberApproversOnly, { readOnly: true, refreshFor }) };
        const feedback = request.decision
          ? t.approval.alreadyDecidedBy(request.decision.by.name)
          : t.approval.alreadyInStatus(t.status.names[request.status]);
        return { card: approvalCard(t, request, feedback, { refreshFor }) };
      }
      case 'decided':
        // Answer now; Graph, the other approvers' cards and the requester's message follow. This
        // answer is the clicked card from now on ("Approved by … on …" stays true): it is not
        // updated through the connector at the decision (afterDecision.ts).
        background.run('afterDecision', () => afterDecision(wf, result.request, { ...answered, followUp: result.followUp }));
        return { card: approvalCard(t, result.request, '', { refreshFor }) };
    }
  };
}

export const approve = decideAction('Approved');
export const deny = decideAction('Denied');
