/**
 * What follows a decision, off the invoke's critical path (Teams gives an invoke ~15 s; Graph can
 * take seconds): cards updated, the requester told, and on approval the invitation created.
 */
import type { GuestRequest } from '../../guestRequest';
import type { DecisionFollowUp } from './decideRequest';
import { deliverOutcome } from '../outbox/deliverOutcome';
import { inviteGuest } from '../outbox/inviteGuest';
import type { Workflow } from '../workflow';

export async function afterDecision(wf: Workflow, request: GuestRequest, followUp?: DecisionFollowUp): Promise<void> {
  // The cards and the invitation start together: every approver sees "approved by …" while Graph
  // works, and Graph (the slow part of time-to-link) does not wait for Teams. Only the outbox's own
  // card update waits for these, so that "invited" never lands under "approved by …". What the
  // decision read and took (the cards, the invitation's lease, the stored version) saves each its call.
  const cards = deliverOutcome(wf, request, followUp?.approvalMessages);
  const invite =
    request.status === 'Approved'
      ? inviteGuest(wf, request.id, { cardsBefore: cards, claim: followUp?.invitation, known: followUp?.stored })
      : undefined;
  await Promise.all([cards, invite]);
}
