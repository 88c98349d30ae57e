/**
 * An approver approves or denies. The decision is one conditional write: of two simultaneous
 * clicks exactly one wins and the other is told who decided. Refused attempts change nothing
 * but are audited.
 */
import { type GuestRequest, isMemberInvitation, type Person } from '../../guestRequest';
import { checkDecisionPermission, type DecisionRefusal } from '../../lifecycle/authorization';
import { transition } from '../../lifecycle/transitions';
import { checkInvitationAddresses } from '../../policy/invitationGate';
import { type Problem, problem } from '../../problems';
import { stripControlCharacters } from '../../validation/requestInput';
import { audit } from '../audit';
import { updateRequest } from '../conditionalUpdate';
import { loadRequestFor } from '../requestAccess';
import type { Workflow } from '../workflow';

export const MAX_REASON_LENGTH = 1000;

export type DecideResult =
  | { kind: 'invalid'; problem: Problem; request: GuestRequest }
  | { kind: 'notFound' }
  | { kind: 'notApprover' }
  | { kind: 'refused'; refusal: DecisionRefusal; request: GuestRequest }
  | { kind: 'decided'; request: GuestRequest };

export interface DecideInput {
  readonly requestId: string;
  readonly decider: Person;
  readonly outcome: 'Approved' | 'Denied';
  readonly reason?: string;
}

export async function decideRequest(wf: Workflow, input: DecideInput): Promise<DecideResult> {
  const reason = stripControlCharacters(input.reason ?? '').trim() || undefined;
  const inputProblem =
    input.outcome === 'Denied' && !reason
      ? problem('deny.reasonMissing')
      : reason && reason.length > MAX_REASON_LENGTH
        ? problem('reason.tooLong', { max: MAX_REASON_LENGTH, length: reason.length })
        : undefined;
  // Authorise before reading: nothing of the request reaches someone who may not decide it.
  const access = await loadRequestFor(wf, input.requestId, { person: input.decider }, 'decide', { detail: input.outcome });
  if (access.kind !== 'found') return access;
  // Shown on the approval card, which needs the request to be drawn again.
  if (inputProblem) return { kind: 'invalid', problem: inputProblem, request: access.request.value };
  const isApprover = access.rights.decide;
  const isMemberApprover = access.rights.memberApprover;

  const outcome = await updateRequest<DecideResult>(wf, input.requestId, (current) => {
    const permission = checkDecisionPermission(current, input.decider.id, isApprover, isMemberApprover);
    if (!permission.ok) return { result: { kind: 'refused', refusal: permission.refusal, request: current } };
    if (input.outcome === 'Approved' && current.existingAccount?.kind === 'member') {
      return { result: { kind: 'invalid', problem: problem('approve.colleague'), request: current } };
    }
    if (input.outcome === 'Approved') {
      // The policy may have changed since submission: the approver hears it now, for the guest and
      // the cc alike (the same gate runs again right before the Graph call).
      const gate = checkInvitationAddresses(wf.policy, current.guest);
      if (!gate.ok) return { result: { kind: 'invalid', problem: gate.refusals[0]!.problem, request: current } };
    }
    const at = wf.clock.now();
    const decided = transition(current, input.outcome, at, {
      decision: { by: input.decider, at: at.toISOString(), outcome: input.outcome, reason },
    });
    // The trail says plainly that employee-level access was granted (or refused), and by whom.
    const detail = isMemberInvitation(current) ? (reason ? `Member invitation: ${reason}` : 'Member invitation') : reason;
    return { write: decided, audit: { by: input.decider, detail }, result: { kind: 'decided', request: decided } };
  });

  if (!outcome.found) {
    await audit(wf, input.requestId, input.decider, 'refused:notFound', { detail: input.outcome });
    return { kind: 'notFound' };
  }
  const result = outcome.written ? ({ kind: 'decided', request: outcome.request } as const) : outcome.result;
  if (result.kind === 'decided') {
    wf.log.info({ requestId: input.requestId, outcome: input.outcome }, 'request decided');
  } else if (result.kind === 'refused') {
    await audit(wf, input.requestId, input.decider, `refused:${result.refusal}`, { from: result.request.status, detail: input.outcome });
    wf.log.warn({ requestId: input.requestId, refusal: result.refusal }, 'decision refused');
  } else if (result.kind === 'invalid') {
    await audit(wf, input.requestId, input.decider, 'refused:policy', { detail: result.problem.code });
  }
  return result;
}
