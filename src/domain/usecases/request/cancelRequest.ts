/** The requester withdraws a request that is still pending. */
import type { GuestRequest, Person } from '../../guestRequest';
import { sameId } from '../../lifecycle/authorization';
import { transition } from '../../lifecycle/transitions';
import { type Problem, problem } from '../../problems';
import { audit } from '../audit';
import { updateRequest } from '../conditionalUpdate';
import { loadRequestFor } from '../requestAccess';
import type { Workflow } from '../workflow';

export type CancelResult =
  { kind: 'notFound' } | { kind: 'refused'; problem: Problem; request: GuestRequest } | { kind: 'cancelled'; request: GuestRequest };

export async function cancelRequest(wf: Workflow, input: { requestId: string; actor: Person }): Promise<CancelResult> {
  // Someone else's request is answered as a missing one (SECURITY.md).
  const access = await loadRequestFor(wf, input.requestId, { person: input.actor }, 'requester', { detail: 'cancel' });
  if (access.kind !== 'found') return { kind: 'notFound' };
  const outcome = await updateRequest<CancelResult>(wf, input.requestId, (current) => {
    if (!sameId(current.requester.id, input.actor.id))
      return { result: { kind: 'refused', problem: problem('cancel.notRequester'), request: current } };
    if (current.status !== 'Pending')
      return { result: { kind: 'refused', problem: problem('cancel.notPending', { status: current.status }), request: current } };
    const next = transition(current, 'Cancelled', wf.clock.now());
    return { write: next, audit: { by: input.actor }, result: { kind: 'cancelled', request: next } };
  });
  if (!outcome.found) return { kind: 'notFound' };
  if (!outcome.written && outcome.result.kind === 'refused')
    await audit(wf, input.requestId, input.actor, 'refused:cancel', { from: outcome.request.status, detail: outcome.result.problem.code });
  return outcome.written ? { kind: 'cancelled', request: outcome.request } : outcome.result;
}
