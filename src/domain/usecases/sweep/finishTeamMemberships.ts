/**
 * The sweep's step for team memberships a process left unfinished (it died after the invitation,
 * or Graph was unreachable): Invited requests with a team whose membership step has not finished.
 * Invitations follow the decision, which happens within the expiry period of a request's creation,
 * so only requests created within that window (plus a margin) are read: a bounded index range.
 */
import { addGuestToTeam, awaitsTeamMembership, type TeamStep } from '../outbox/addGuestToTeam';
import { errorText } from '../audit';
import type { GuestRequest } from '../../guestRequest';
import { decisionWindowStart, requestsIn, within } from './requestsIn';
import type { Workflow } from '../workflow';

export async function finishTeamMemberships(
  wf: Workflow,
  options: {
    windowMs: number;
    maxRequests?: number;
    /** The Invited requests the sweep's walk found (sweep.ts); without them, the step lists its own. */
    requests?: readonly GuestRequest[];
  },
): Promise<Record<TeamStep, number>> {
  const counts: Record<TeamStep, number> = { done: 0, retryLater: 0, busy: 0, nothingToDo: 0 };
  if (!wf.teamGroups) return counts;
  const createdSince = decisionWindowStart(wf, options.windowMs);
  const found = options.requests
    ? within(options.requests, createdSince, options.maxRequests ?? 500)
    : requestsIn(wf, 'Invited', { createdSince, max: options.maxRequests });
  for await (const request of found) {
    if (!awaitsTeamMembership(request)) continue;
    try {
      counts[await addGuestToTeam(wf, request.id)]++;
    } catch (err) {
      counts.retryLater++;
      wf.log.warn({ requestId: request.id, err: errorText(err) }, 'team membership step failed; the next sweep tries again');
    }
  }
  return counts;
}
