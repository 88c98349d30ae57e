/**
 * What follows a decision, off the invoke's critical path (Teams gives an invoke ~15 s; Graph can
 * take seconds): cards updated, the requester told, and on approval the invitation created.
 */
import type { GuestRequest } from '../guestRequest';
import { deliverOutcome } from './deliverOutcome';
import { inviteGuest } from './inviteGuest';
import type { Workflow } from './workflow';

export async function afterDecision(wf: Workflow, request: GuestRequest): Promise<void> {
  // Cards first, so every approver sees "approved by …" while Graph works.
  await deliverOutcome(wf, request);
  if (request.status === 'Approved') await inviteGuest(wf, request.id);
}
