/**
 * An approver approves or denies. The decision is one conditional write: of two simultaneous
 * clicks exactly one wins and the other is told who decided. Refused attempts change nothing
 * but are audited.
 */
import { type ApprovalMessage, type GuestRequest, isMemberInvitation, type Person, type Versioned } from '../../guestRequest';
import { checkDecisionPermission, type DecisionRefusal } from '../../lifecycle/authorization';
import { transition } from '../../lifecycle/transitions';
import { checkInvitationAddresses } from '../../policy/invitationGate';
import { type Problem, problem } from '../../problems';
import { wellFormedActivityId } from '../../validation/activityId';
import { stripControlCharacters } from '../../validation/requestInput';
import { audit } from '../audit';
import { updateRequest } from '../conditionalUpdate';
import { loadRequestFor } from '../requestAccess';
import type { Workflow } from '../workflow';
import { DEFAULT_LEASE_MS, type LeaseClaim, newLeaseOwner, takenRequestLease } from '../withLease';

export const MAX_REASON_LENGTH = 1000;

export type DecideResult =
  | { kind: 'invalid'; problem: Problem; request: GuestRequest }
  | { kind: 'notFound' }
  | { kind: 'notApprover' }
  | { kind: 'refused'; refusal: DecisionRefusal; request: GuestRequest }
  | { kind: 'decided'; request: GuestRequest; followUp: DecisionFollowUp };

/** What the decision's own read and write leave for the steps after it (afterDecision.ts): each saves a call. */
export interface DecisionFollowUp {
  /** The request as stored by the decision. */
  readonly stored: Versioned<GuestRequest>;
  /** Its approval cards, read with it before the decision (a card saved since is seen by the fan-out: routeApprovals.ts). */
  readonly approvalMessages?: readonly ApprovalMessage[];
  /** An approval's invitation lease, taken with the decision's write. */
  readonly invitation?: LeaseClaim;
}

export interface DecideInput {
  readonly requestId: string;
  readonly decider: Person;
  readonly outcome: 'Approved' | 'Denied';
  readonly reason?: string;
  /** The approval card the click came from (the invoke's replyToId): its answer shows the decision. Unchecked. */
  readonly answeredCardId?: unknown;
}

export async function decideRequest(wf: Workflow, input: DecideInput): Promise<DecideResult> {
  const reason = stripControlCharacters(input.reason ?? '').trim() || undefined;
  const answeredCardId = wellFormedActivityId(input.answeredCardId);
  const inputProblem =
    input.outcome === 'Denied' && !reason
      ? problem('deny.reasonMissing')
      : reason && reason.length > MAX_REASON_LENGTH
        ? problem('reason.tooLong', { max: MAX_REASON_LENGTH, length: reason.length })
        : undefined;
  // Authorise before reading: nothing of the request reaches someone who may not decide it. A
  // version this process holds saves the read: the decision is written against it, conditionally,
  // and anything but a write is decided on a fresh read (updateRequest). A form with a problem is
  // drawn again from a fresh read.
  const access = await loadRequestFor(
    wf,
    input.requestId,
    { person: input.decider },
    'decide',
    { detail: input.outcome },
    { withApprovalMessages: true, recent: !inputProblem },
  );
  if (access.kind !== 'found') return access;
  // Shown on the approval card, which needs the request to be drawn again.
  if (inputProblem) return { kind: 'invalid', problem: inputProblem, request: access.request.value };
  const isApprover = access.rights.decide;
  const isMemberApprover = access.rights.memberApprover;

  // The invitation's lease rides on an approval's write, so the outbox step starts without a call of its own.
  const invitation = { kind: 'invite' as const, owner: newLeaseOwner(wf), ttlMs: wf.inviteLeaseMs ?? DEFAULT_LEASE_MS };
  type Decided = Exclude<DecideResult, { kind: 'decided' }> | { kind: 'decided'; request: GuestRequest };
  const outcome = await updateRequest<Decided>(
    wf,
    input.requestId,
    (current) => {
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
        decision: {
          by: input.decider,
          at: at.toISOString(),
          outcome: input.outcome,
          reason,
          ...(answeredCardId ? { answeredCardId } : {}),
        },
      });
      // The trail says plainly that employee-level access was granted (or refused), and by whom.
      const detail = isMemberInvitation(current) ? (reason ? `Member invitation: ${reason}` : 'Member invitation') : reason;
      const lease = input.outcome === 'Approved' ? { take: invitation } : undefined;
      return { write: decided, audit: { by: input.decider, detail }, lease, result: { kind: 'decided', request: decided } };
    },
    access.request,
    // A race lost to this process's own card save (the fan-out, a moment ago) is taken up again on
    // the version it left, cards included, without a read (conditionalUpdate.ts).
    { reread: { withApprovalMessages: true, recent: true } },
  );

  if (!outcome.found) {
    await audit(wf, input.requestId, input.decider, 'refused:notFound', { detail: input.outcome });
    return { kind: 'notFound' };
  }
  if (outcome.written) {
    wf.log.info({ requestId: input.requestId, outcome: input.outcome }, 'request decided');
    const followUp: DecisionFollowUp = {
      stored: { value: outcome.request, etag: outcome.etag },
      // Those of the version the decision was written against; a later read would be another call.
      ...(outcome.approvalMessages ? { approvalMessages: outcome.approvalMessages } : {}),
      ...(outcome.leaseTaken ? { invitation: takenRequestLease(wf, input.requestId, 'invite', invitation.owner, invitation.ttlMs) } : {}),
    };
    return { kind: 'decided', request: outcome.request, followUp };
  }
  const result = outcome.result;
  if (result.kind === 'decided') {
    // Not reached: a decision is only ever reported for a write.
    throw new Error(`request ${input.requestId}: decided without a write`);
  } else if (result.kind === 'refused') {
    await audit(wf, input.requestId, input.decider, `refused:${result.refusal}`, { from: result.request.status, detail: input.outcome });
    wf.log.warn({ requestId: input.requestId, refusal: result.refusal }, 'decision refused');
  } else if (result.kind === 'invalid') {
    await audit(wf, input.requestId, input.decider, 'refused:policy', { detail: result.problem.code });
  }
  return result;
}
