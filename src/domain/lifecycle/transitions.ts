/**
 * The request's state machine (DESIGN.md "The request's life"). Every change of status goes through
 * `transition`, which refuses moves the diagram does not have.
 */
import type { GuestRequest, RequestStatus } from '../guestRequest';

const ALLOWED: Readonly<Record<RequestStatus, readonly RequestStatus[]>> = {
  Pending: ['Approved', 'Denied', 'Cancelled', 'Expired'],
  Approved: ['Invited', 'Failed'],
  // An approver may retry a failed invitation: it goes back to the outbox.
  Failed: ['Approved'],
  Denied: [],
  Invited: [],
  Cancelled: [],
  Expired: [],
};

export function canTransition(from: RequestStatus, to: RequestStatus): boolean {
  return ALLOWED[from].includes(to);
}

/** Statuses in which nothing more will happen to the request. */
export function isFinal(status: RequestStatus): boolean {
  return ALLOWED[status].length === 0;
}

export class InvalidTransition extends Error {
  constructor(
    readonly from: RequestStatus,
    readonly to: RequestStatus,
  ) {
    super(`A request can't go from ${from} to ${to}`);
    this.name = 'InvalidTransition';
  }
}

/** Returns the request in its new status; `changes` carries what the move records (decision, result…). */
export function transition(
  request: GuestRequest,
  to: RequestStatus,
  at: Date,
  changes: Partial<
    Pick<
      GuestRequest,
      'decision' | 'invitation' | 'failure' | 'requesterNotifiedAt' | 'outcomeSendStartedAt' | 'outcomeDeliveryUnconfirmed'
    >
  > = {},
): GuestRequest {
  if (!canTransition(request.status, to)) throw new InvalidTransition(request.status, to);
  return { ...request, ...changes, status: to, updatedAt: at.toISOString() };
}
