/**
 * What follows a decision, off the invoke's critical path (Teams gives an invoke ~15 s; Graph can
 * take seconds): cards updated, the requester told, and on approval the invitation created.
 */
import type { GuestRequest } from '../../guestRequest';
import { deliverOutcome } from '../outbox/deliverOutcome';
import { inviteGuest } from '../outbox/inviteGuest';
import type { Workflow } from '../workflow';

export async function afterDecision(wf: Workflow, request: GuestRequest): Promise<void> {
  // The cards and the invitation start together: every approver sees "approved by …" while Graph
  // works, and Graph (the slow part of time-to-link) does not wait for Teams. Only the outbox's own
  // card update waits for these, so that "invited" never lands under "approved by …".
  const cards = deliverOutcome(wf, request);
  await Promise.all([cards, request.status === 'Approved' ? inviteGuest(wf, request.id, { cardsBefore: cards }) : undefined]);
}
