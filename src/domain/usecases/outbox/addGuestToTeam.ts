/**
 * After the invitation: the guest joins the team the requester chose (its Microsoft 365 group), and
 * the requester hears how that went. Runs from stored state right after the invitation step and
 * from the sweep, so a process that dies in between leaves work the next sweep finishes:
 *   1. Graph's answer is recorded on the request (`teamMembership`, a conditional write);
 *   2. the requester is told;
 *   3. `teamMembership.requesterNotifiedAt` marks the step finished.
 * Adding twice is harmless (Graph's "already a member" counts as done); a crash between 2 and 3
 * makes the next sweep tell the requester again (never zero times).
 */
import type { GuestRequest, TeamMembership, TeamMembershipFailure, Versioned } from '../../guestRequest';
import { awaitsTeamMembership } from '../../lifecycle/workLeft';
import { PermanentInvitationError } from '../../ports';
import { audit, errorText, SYSTEM } from '../audit';
import { updateRequest } from '../conditionalUpdate';
import { tellRequester } from './tellRequester';
import type { Workflow } from '../workflow';
import { DEFAULT_LEASE_MS, withRequestLease } from '../withLease';

export type TeamStep = 'done' | 'retryLater' | 'busy' | 'nothingToDo';

export { awaitsTeamMembership };

export async function addGuestToTeam(wf: Workflow, requestId: string): Promise<TeamStep> {
  if (!wf.teamGroups) return 'nothingToDo';
  const leased = await withRequestLease(wf, requestId, 'team', wf.inviteLeaseMs ?? DEFAULT_LEASE_MS, async (): Promise<TeamStep> => {
    const current = await wf.store.get(requestId);
    if (!current || !awaitsTeamMembership(current.value)) return 'nothingToDo';
    let request = current;
    if (!request.value.teamMembership) {
      const membership = await addMember(wf, request.value);
      if (!membership) return 'retryLater';
      const saved = await updateRequest(
        wf,
        requestId,
        (latest) =>
          latest.teamMembership
            ? { result: undefined }
            : { write: { ...latest, teamMembership: membership, updatedAt: membership.at }, result: undefined },
        current,
      );
      if (!saved.found) return 'nothingToDo';
      request = { value: saved.request, etag: saved.etag };
      if (saved.written) {
        const groupId = saved.request.team?.groupId;
        await audit(wf, requestId, SYSTEM, `team:${membership.status}`, {
          detail: [groupId, membership.detail].filter(Boolean).join(': '),
        });
        wf.log.info({ requestId, groupId, status: membership.status }, 'team membership step');
      }
    }
    return tell(wf, request);
  });
  return leased.held ? leased.result : 'busy';
}

/** Graph's answer as a membership record; undefined = not reachable now (the sweep tries again). */
async function addMember(wf: Workflow, request: GuestRequest): Promise<TeamMembership | undefined> {
  const groups = wf.teamGroups;
  const team = request.team;
  const userId = request.invitation?.invitedUserId;
  if (!groups || !team || !userId) return undefined;
  try {
    const result = await groups.addMember(team.groupId, userId);
    return { status: result, at: wf.clock.now().toISOString() };
  } catch (err) {
    if (!(err instanceof PermanentInvitationError)) {
      wf.log.warn({ requestId: request.id, err: errorText(err) }, 'guest not added to the team yet; the sweep retries');
      return undefined;
    }
    return { status: 'failed', at: wf.clock.now().toISOString(), reason: failureReason(err.httpStatus), detail: err.message.slice(0, 500) };
  }
}

function failureReason(httpStatus: number): TeamMembershipFailure {
  if (httpStatus === 404) return 'groupNotFound';
  if (httpStatus === 401 || httpStatus === 403) return 'forbidden';
  return 'refused';
}

/** Tells the requester how the team step went; unreachable (they blocked the bot) counts as told. */
async function tell(wf: Workflow, request: Versioned<GuestRequest>): Promise<TeamStep> {
  const membership = request.value.teamMembership;
  if (!membership || membership.requesterNotifiedAt) return 'done';
  const told = await tellRequester(wf, request.value, (r) => wf.notifier.notifyTeamMembership(r));
  if (told.kind === 'retryLater') return 'retryLater';
  const at = wf.clock.now().toISOString();
  await updateRequest(
    wf,
    request.value.id,
    (latest) =>
      latest.teamMembership && !latest.teamMembership.requesterNotifiedAt
        ? { write: { ...latest, teamMembership: { ...latest.teamMembership, requesterNotifiedAt: at } }, result: undefined }
        : { result: undefined },
    request,
  );
  return 'done';
}
