/**
 * The outbox worker step: an Approved request becomes a Graph invitation. It runs from stored state
 * (right after the decision, at start-up and on a timer), holds a per-request lease so that only one
 * process calls Graph for a request, and records the result before telling anyone.
 */
import type { GuestRequest } from '../guestRequest';
import { transition } from '../lifecycle/transitions';
import { PermanentInvitationError } from '../ports';
import { errorText, SYSTEM, auditTransition } from './audit';
import { updateRequest } from './conditionalUpdate';
import { deliverOutcome } from './deliverOutcome';
import type { Workflow } from './workflow';

/** Longer than the Graph client's whole retry budget, so a live holder never loses its lease. */
export const INVITE_LEASE_MS = 120_000;

export type InviteStep = 'invited' | 'failed' | 'retryLater' | 'busy' | 'nothingToDo';

export async function inviteGuest(wf: Workflow, requestId: string): Promise<InviteStep> {
  const lease = `invite-${requestId}`;
  if (!(await wf.leases.tryAcquire(lease, wf.instanceId, INVITE_LEASE_MS))) return 'busy';
  try {
    const current = await wf.store.get(requestId);
    if (!current) return 'nothingToDo';
    if (current.value.status !== 'Approved') {
      // Finished before (perhaps by a process that died before telling anyone): just deliver.
      if (current.value.status === 'Invited' || current.value.status === 'Failed') await deliverOutcome(wf, current.value);
      return 'nothingToDo';
    }
    const request = current.value;
    let next: GuestRequest;
    try {
      const created = await wf.directory.invite({
        email: request.guest.email,
        displayName: request.guest.displayName,
        redirectUrl: wf.inviteRedirectUrl,
        sendInvitationMessage: request.guest.sendInvitationMessage,
        customizedMessageBody: request.guest.message,
        sponsorId: request.requester.id,
      });
      const at = wf.clock.now();
      next = transition(request, 'Invited', at, {
        invitation: { invitedUserId: created.invitedUserId, status: created.status, redeemUrl: created.redeemUrl, at: at.toISOString() },
      });
    } catch (err) {
      if (!(err instanceof PermanentInvitationError)) {
        wf.log.warn({ requestId, err: errorText(err) }, 'invitation not created yet; will retry');
        return 'retryLater';
      }
      const at = wf.clock.now();
      next = transition(request, 'Failed', at, { failure: { code: err.code, message: err.message, at: at.toISOString() } });
    }
    const saved = await updateRequest(wf, requestId, (latest) =>
      latest.status === 'Approved' ? { write: { ...next, requesterNotifiedAt: undefined }, result: undefined } : { result: undefined },
    );
    if (!saved.found) return 'nothingToDo';
    if (saved.written) {
      await auditTransition(wf, request, saved.request, SYSTEM, saved.request.failure?.code);
      wf.log.info({ requestId, status: saved.request.status }, 'invitation step finished');
    }
    await deliverOutcome(wf, saved.request);
    return saved.request.status === 'Invited' ? 'invited' : 'failed';
  } finally {
    await wf.leases.release(lease, wf.instanceId).catch(() => undefined);
  }
}
