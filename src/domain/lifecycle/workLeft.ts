/**
 * Which requests still have work for the bot: the store keeps exactly these in its index of open
 * requests (RequestStore.listByStatus), which is what the sweep walks. Everything else is finished
 * and is listed only per requester ("my requests").
 */
import type { GuestRequest } from '../guestRequest';

/** Outcomes the requester hears about after the transition (deliverOutcome.ts); cancelling needs no message. */
export const TOLD_AFTER = ['Denied', 'Expired'] as const;

/** A Denied or Expired request whose requester has not been told yet (nor found unreachable). */
export function awaitsTelling(request: GuestRequest): boolean {
  return (TOLD_AFTER as readonly string[]).includes(request.status) && !request.requesterNotifiedAt && !request.requesterUnreachable;
}

/** An Invited request with a team whose membership step has not finished. */
export function awaitsTeamMembership(request: GuestRequest): boolean {
  return (
    request.status === 'Invited' && !!request.team && !!request.invitation?.invitedUserId && !request.teamMembership?.requesterNotifiedAt
  );
}

/**
 * Pending (a decision, expiry, reminders, missing cards), Approved (the invitation: Invited and
 * Failed are told before they are stored), an outcome still to tell, a team step still to finish.
 * Failed and Cancelled have none: a retry makes a request Approved, and open, again.
 */
export function hasWorkLeft(request: GuestRequest): boolean {
  return request.status === 'Pending' || request.status === 'Approved' || awaitsTelling(request) || awaitsTeamMembership(request);
}
