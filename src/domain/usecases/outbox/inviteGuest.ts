/**
 * The outbox worker step: an Approved request becomes a Graph invitation. It runs from stored state
 * (right after the decision, at start-up and on a timer), holds a per-request lease so that only one
 * process calls Graph for a request, and records the result before telling anyone.
 *
 * The request stays in the outbox (status Approved) until the requester has been told:
 *   1. Graph's answer (the invitation, or a permanent refusal) is recorded on the Approved request;
 *   2. the requester is told;
 *   3. only then the request moves to Invited / Failed, with `requesterNotifiedAt`.
 * A process that dies after 1 leaves a request the next sweep finishes without calling Graph again;
 * the link message goes out at most once (a delivery record written before the send, see
 * tellRequester.ts), so one that dies between sending and recording leaves it unconfirmed, never doubled.
 * The lease is renewed while the step runs; a holder that loses it stops before its next effect.
 */
import { type ApprovalMessage, type GuestRequest, invitedUserTypeOf, type Versioned } from '../../guestRequest';
import { sameId } from '../../lifecycle/authorization';
import { transition } from '../../lifecycle/transitions';
import { checkInvitationAddresses } from '../../policy/invitationGate';
import { PermanentInvitationError } from '../../ports';
import { addGuestToTeam } from './addGuestToTeam';
import { audit, errorText, SYSTEM } from '../audit';
import { updateRequest } from '../conditionalUpdate';
import { tellRequesterOnce, toldFields } from './tellRequester';
import { showCurrentState } from '../showCurrentState';
import { refreshRequesterCard } from '../request/refreshRequesterCard';
import type { Workflow } from '../workflow';
import { DEFAULT_LEASE_MS, type LeaseClaim, type LeaseHold, withRequestLease } from '../withLease';

/** Short, and renewed while the step runs (withLease.ts): a crashed holder blocks the request for at most this long. */
export const INVITE_LEASE_MS = DEFAULT_LEASE_MS;

export type InviteStep = 'invited' | 'failed' | 'retryLater' | 'busy' | 'nothingToDo';

export interface InviteOptions {
  /**
   * Card updates still going out for the state before (the decision's "approved by …"): the
   * outbox's own approval-card update (on Failed) waits for them, so the older state never lands last.
   */
  readonly cardsBefore?: Promise<unknown>;
  /** The invitation's lease, when the decision's write took it (DecisionFollowUp): not taken again. */
  readonly claim?: LeaseClaim;
  /** The request as the decision stored it: not read again (a stale one only costs the write a retry). */
  readonly known?: Versioned<GuestRequest>;
}

export async function inviteGuest(wf: Workflow, requestId: string, options: InviteOptions = {}): Promise<InviteStep> {
  const step = async (hold: LeaseHold): Promise<InviteStep> => {
    const current = options.known ?? (await wf.store.get(requestId));
    if (!current) return 'nothingToDo';
    // Finished before: the outbox step tells the requester before leaving Approved.
    if (current.value.status !== 'Approved') return 'nothingToDo';
    let request = current;
    let markedAt: string | undefined;
    if (!request.value.invitation && !request.value.failure) {
      const recorded = await callDirectory(wf, request, hold);
      if (!recorded) return 'retryLater';
      ({ request, markedAt } = recorded);
    }
    return finish(wf, request, options, hold, markedAt);
  };
  const leased = options.claim
    ? await options.claim.run(step)
    : await withRequestLease(wf, requestId, 'invite', wf.inviteLeaseMs ?? INVITE_LEASE_MS, step);
  return leased.held ? leased.result : 'busy';
}

type Outcome = Pick<GuestRequest, 'invitation' | 'failure'>;

/**
 * Calls Graph and records its answer on the still-Approved request; undefined = try again later.
 * (Under the lease nobody else runs this step, so the version read before the call is usually
 * still current: the write goes against it without reading again.) The same write is the link
 * message's delivery record (tellRequester.ts), since the message follows at once: `markedAt`.
 */
async function callDirectory(
  wf: Workflow,
  read: Versioned<GuestRequest>,
  hold: LeaseHold,
): Promise<{ request: Versioned<GuestRequest>; markedAt?: string } | undefined> {
  hold.check();
  const outcome = await outcomeOfInvitation(wf, read.value);
  if (!outcome) return undefined;
  hold.check();
  const at = wf.clock.now().toISOString();
  const saved = await updateRequest(
    wf,
    read.value.id,
    (latest) =>
      latest.status === 'Approved' && !latest.invitation && !latest.failure
        ? { write: { ...latest, ...outcome, updatedAt: at, ...deliveryRecord(latest, at) }, result: undefined }
        : { result: undefined },
    read,
  );
  if (!saved.found || saved.request.status !== 'Approved') return undefined;
  const request = { value: saved.request, etag: saved.etag };
  return saved.written && saved.request.outcomeSendStartedAt === at ? { request, markedAt: at } : { request };
}

/** The delivery record, unless a send was started or finished before (then tellRequesterOnce decides). */
function deliveryRecord(request: GuestRequest, at: string): Pick<GuestRequest, 'outcomeSendStartedAt'> {
  return request.outcomeSendStartedAt || request.requesterNotifiedAt || request.requesterUnreachable ? {} : { outcomeSendStartedAt: at };
}

/**
 * What Graph made of the request: the invitation, or a permanent refusal; undefined when Graph could
 * not be reached (the request stays Approved for the sweep).
 */
async function outcomeOfInvitation(wf: Workflow, request: GuestRequest): Promise<Outcome | undefined> {
  if (request.existingAccount?.kind === 'guestAccepted' && request.existingAccount.userId) {
    // They can sign in already: a new invitation would only confuse them. Nothing is sent to Graph.
    return {
      invitation: { invitedUserId: request.existingAccount.userId, status: 'Accepted', redeemUrl: '', at: wf.clock.now().toISOString() },
    };
  }
  // The one policy gate before Graph: this step runs after the decision, from the sweep and after a
  // retry, perhaps long after submit, so the policy in force now decides, for every address Graph
  // would receive (the guest and the cc). A refusal fails the request like a permanent Graph error.
  const gate = checkInvitationAddresses(wf.policy, request.guest);
  if (!gate.ok) {
    const { field, address, problem } = gate.refusals[0]!;
    const detail = `${problem.code} ${field}`;
    wf.log.warn({ requestId: request.id, refusal: detail }, 'invitation refused by the domain policy; Graph not called');
    await audit(wf, request.id, SYSTEM, 'refused:policy', { from: request.status, detail });
    const message = `Refused by the domain policy before calling Graph (${problem.code}): ${field === 'ccEmail' ? 'cc' : 'guest'} address ${address}`;
    return { failure: { code: problem.code, message, problem, at: wf.clock.now().toISOString() } };
  }
  try {
    const created = await wf.directory.invite({
      email: request.guest.email,
      displayName: request.guest.displayName,
      redirectUrl: wf.inviteRedirectUrl,
      sendInvitationMessage: request.guest.sendInvitationMessage,
      customizedMessageBody: request.guest.message,
      messageLanguage: invitationLanguage(request),
      ccEmail: request.guest.ccEmail,
      sponsorId: request.requester.id,
      // Member only for a request stored as one, which only a member approver could approve.
      userType: invitedUserTypeOf(request),
    });
    const at = wf.clock.now().toISOString();
    return { invitation: { invitedUserId: created.invitedUserId, status: created.status, redeemUrl: created.redeemUrl, at } };
  } catch (err) {
    if (!(err instanceof PermanentInvitationError)) {
      wf.log.warn({ requestId: request.id, err: errorText(err) }, 'invitation not created yet; will retry');
      return undefined;
    }
    return { failure: { code: err.code, message: err.message, at: wf.clock.now().toISOString() } };
  }
}

/** Tells the requester, then leaves the outbox: Invited or Failed, with requesterNotifiedAt. */
async function finish(
  wf: Workflow,
  stored: Versioned<GuestRequest>,
  options: InviteOptions,
  hold: LeaseHold,
  markedAt: string | undefined,
): Promise<InviteStep> {
  const request = stored.value;
  const at = wf.clock.now();
  const final = leaveOutbox(request, at);
  // At most one link message, even when a holder lost its lease under a hung send (tellRequester.ts).
  const { told, recorded } = await tellRequesterOnce(wf, stored, final, () => hold.check(), markedAt);
  // Not reached this time: the request stays in the outbox for the next sweep. Refused for good
  // (they blocked the bot): recorded, and the request leaves the outbox all the same.
  if (told.kind === 'retryLater') return 'retryLater';
  if (told.kind === 'unconfirmed')
    wf.log.warn({ requestId: request.id }, 'a sender stopped mid-send: the link message is not sent again (at most once)');
  hold.check();
  const saved = await updateRequest(
    wf,
    request.id,
    (latest) =>
      latest.status === 'Approved' && (latest.invitation || latest.failure)
        ? {
            write: { ...leaveOutbox(latest, at), ...toldFields(wf, told) },
            audit: { by: SYSTEM, detail: latest.failure?.code },
            // The step is done: the lease goes with the same write.
            ...(hold.owner ? { lease: { release: { kind: 'invite' as const, owner: hold.owner } } } : {}),
            result: undefined,
          }
        : { result: undefined },
    recorded,
  );
  if (!saved.found) return 'nothingToDo';
  if (saved.written) {
    wf.log.info({ requestId: request.id, status: saved.request.status }, 'invitation step finished');
    await showOutcome(wf, saved.request, options);
  }
  if (saved.request.status === 'Invited' && saved.request.team) {
    // Its own step with its own record: a failure here never undoes the invitation.
    await addGuestToTeam(wf, request.id).catch((err: unknown) =>
      wf.log.warn({ requestId: request.id, err: errorText(err) }, 'team membership step failed; the sweep tries again'),
    );
  }
  return saved.request.status === 'Invited' ? 'invited' : saved.request.status === 'Failed' ? 'failed' : 'nothingToDo';
}

/**
 * The cards at the end of the invitation step (docs/protocol.md §3). Invited: only the requester's
 * card (its one update for an approval that finished at once); the approvers' cards say "Approved by
 * … on …" since the decision, which stays true, and their refresh shows Invited when viewed.
 * Failed (rare): every card, the deciding approver's too, and that approver is told.
 */
async function showOutcome(wf: Workflow, request: GuestRequest, options: InviteOptions): Promise<void> {
  if (request.status !== 'Failed') return refreshRequesterCard(wf, request);
  await options.cardsBefore?.catch(() => undefined);
  const cards = await showCurrentState(wf, request);
  await tellDecider(wf, request, cards);
}

/** Invited or Failed, by what Graph answered (recorded on the request). Built from any version of it. */
function leaveOutbox(request: GuestRequest, at: Date): GuestRequest {
  return request.invitation
    ? transition(request, 'Invited', at, { failure: undefined })
    : transition(request, 'Failed', at, { invitation: undefined });
}

async function tellDecider(wf: Workflow, request: GuestRequest, cards: readonly ApprovalMessage[]): Promise<void> {
  if (!request.decision) return;
  const deciderId = request.decision.by.id;
  const deciderCard = cards.find((m) => sameId(m.approverId, deciderId));
  if (!deciderCard) return;
  await wf.notifier
    .notifyApprover(deciderCard, request)
    .catch((err: unknown) => wf.log.warn({ requestId: request.id, err: errorText(err) }, 'deciding approver not told of the failure'));
}

/**
 * The language asked of Graph for its standard invitation text: the one chosen on the form, else
 * the requester's own. English is Graph's default, so it is never named (the usual body stays minimal).
 */
function invitationLanguage(request: GuestRequest): string | undefined {
  const language = request.guest.messageLanguage ?? request.requesterLocale;
  return language && !/^en\b/i.test(language) ? language : undefined;
}
