/** An approver sends a Failed request back to the outbox (e.g. after fixing a directory setting). */
import type { GuestRequest, Person } from '../../guestRequest';
import { checkApproverActor } from '../../lifecycle/authorization';
import { transition } from '../../lifecycle/transitions';
import { type Problem, problem } from '../../problems';
import { audit } from '../audit';
import { updateRequest } from '../conditionalUpdate';
import { loadRequestFor } from '../requestAccess';
import type { Workflow } from '../workflow';

export type RetryResult =
  | { kind: 'notFound' }
  | { kind: 'notApprover' }
  | { kind: 'refused'; problem: Problem; request: GuestRequest }
  | { kind: 'retrying'; request: GuestRequest };

const RETRY_REFUSALS = {
  notApprover: 'retry.notApprover',
  ownRequest: 'retry.ownRequest',
  memberApproversOnly: 'retry.memberApproversOnly',
} as const;

export async function retryInvitation(wf: Workflow, input: { requestId: string; actor: Person }): Promise<RetryResult> {
  const access = await loadRequestFor(wf, input.requestId, { person: input.actor }, 'decide', { detail: 'retry' });
  if (access.kind !== 'found') return access;
  const { decide: isApprover, memberApprover } = access.rights;
  const outcome = await updateRequest<RetryResult>(wf, input.requestId, (current) => {
    const actor = checkApproverActor(current, input.actor.id, isApprover, memberApprover);
    if (!actor.ok) return { result: { kind: 'refused', problem: problem(RETRY_REFUSALS[actor.refusal]), request: current } };
    if (current.status !== 'Failed')
      return { result: { kind: 'refused', problem: problem('retry.notFailed', { status: current.status }), request: current } };
    // The failure was told; the retry's outcome is a new message with its own delivery record.
    const next = transition(current, 'Approved', wf.clock.now(), {
      failure: undefined,
      requesterNotifiedAt: undefined,
      outcomeSendStartedAt: undefined,
      outcomeDeliveryUnconfirmed: undefined,
    });
    return { write: next, audit: { by: input.actor, detail: 'retry' }, result: { kind: 'retrying', request: next } };
  });
  if (!outcome.found) return { kind: 'notFound' };
  if (!outcome.written && outcome.result.kind === 'refused')
    await audit(wf, input.requestId, input.actor, 'refused:retry', { from: outcome.request.status, detail: outcome.result.problem.code });
  return outcome.written ? { kind: 'retrying', request: outcome.request } : outcome.result;
}
