/**
 * An employee submits the request form. Valid input is stored as Pending; invalid input changes
 * nothing and comes back with a problem per field. The same form (its one-time token) submitted
 * again returns the request it made, however often and however concurrently it arrives.
 */
import type { AuditEntry, ChatAddress, GuestRequest, Person } from '../../guestRequest';
import { checkInvitationAddresses } from '../../policy/invitationGate';
import { ConcurrencyConflict, type RequesterLimits, type SubmitOutcome } from '../../ports';
import { type Problem, problem } from '../../problems';
import { type FieldErrors, type RawRequestInput, validateRequestInput, wellFormedAddresses } from '../../validation/requestInput';
import { wellFormedActivityId } from '../../validation/activityId';
import { findTeam, teamsForRequester } from './teamChoices';
import type { Workflow } from '../workflow';
import { DEFAULT_LEASE_MS, newLeaseOwner, takenRequestLease } from '../withLease';
import { newRequestFanOut } from '../approval/routeApprovals';

export type SubmitResult =
  | { kind: 'invalid'; errors: FieldErrors; entered: RawRequestInput }
  | { kind: 'overLimit'; problem: Problem; entered: RawRequestInput }
  /**
   * `replay`: the form's token was submitted before; this is that request, and nothing new was stored.
   * `fanOut`: the approval cards to send once the requester has their answer (a new request whose
   * routing lease the write took; otherwise the sweep sends them).
   */
  | { kind: 'submitted'; request: GuestRequest; replay: boolean; fanOut?: () => Promise<unknown> };

/**
 * The requester's form is open: what their submit will need from storage (their limits) is read
 * now, while they fill it in, so the submit makes its writes without a read first.
 */
export function prepareSubmit(wf: Workflow, requesterId: string): Promise<void> {
  return wf.store.prepareSubmit?.(requesterId, submitLimits(wf)) ?? Promise.resolve();
}

function submitLimits(wf: Workflow): RequesterLimits {
  return { maxPending: wf.limits?.maxPending ?? 0, maxPerDay: wf.limits?.maxPerDay ?? 0 };
}

export async function submitRequest(
  wf: Workflow,
  input: {
    raw: RawRequestInput;
    requester: Person;
    requesterAddress: ChatAddress;
    requesterLocale?: string;
    /** The form's one-time token (its Action.Execute data); absent on forms from before it. */
    submissionId?: string;
    /** The message holding the form (the invoke's replyToId), which becomes the status card; unchecked. */
    requesterCardId?: unknown;
  },
): Promise<SubmitResult> {
  // Member invitations off: a userType in the data (a forged one, or an old form's) is ignored
  // entirely, and the request is a Guest invitation as it always was (docs/protocol.md).
  const raw: RawRequestInput = wf.memberApprovers ? input.raw : withoutUserType(input.raw);
  const checked = validateRequestInput(raw);
  // The same policy gate as before the Graph call, for the guest and the cc, each next to its own
  // field and together with every other problem on the form (a field's own error comes first).
  const policyErrors = addressPolicyErrors(wf, input.raw);
  if (!checked.ok) return { kind: 'invalid', errors: { ...policyErrors, ...checked.errors }, entered: input.raw };
  // The team must be one this requester is offered: a forged group id is refused, nothing stored.
  const team = checked.value.teamGroupId ? findTeam(await teamsForRequester(wf, input.requester.id), checked.value.teamGroupId) : undefined;
  const teamProblem = checked.value.teamGroupId && !team ? problem('teamGroupId.notOffered') : undefined;
  if (Object.keys(policyErrors).length > 0 || teamProblem) {
    return { kind: 'invalid', errors: { ...policyErrors, ...(teamProblem ? { teamGroupId: teamProblem } : {}) }, entered: input.raw };
  }
  const now = wf.clock.now().toISOString();
  const { email, displayName, justification, message, sendInvitationMessage, ccEmail, messageLanguage, userType } = checked.value;
  // The form's one-time token makes the id: the same form submitted again is the same request.
  const token = submissionToken(input.submissionId);
  const requesterCardId = wellFormedActivityId(input.requesterCardId);
  const request: GuestRequest = {
    id: token ? wf.ids.requestIdFor(input.requester.id, token) : wf.ids.newRequestId(),
    status: 'Pending',
    guest: { email, displayName, message, sendInvitationMessage, ccEmail, messageLanguage, ...(userType ? { userType } : {}) },
    justification,
    requester: input.requester,
    requesterAddress: input.requesterAddress,
    requesterLocale: wellFormedLocale(input.requesterLocale),
    // A malformed id is no id: the request is made all the same, its card just is not updated.
    ...(requesterCardId ? { requesterCardId } : {}),
    createdAt: now,
    updatedAt: now,
    ...(team ? { team } : {}),
  };
  // Stored with its first audit entry, in one transaction, within the per-requester limits
  // (MAX_PENDING_PER_REQUESTER, MAX_REQUESTS_PER_DAY) counted atomically by the store.
  const details = [...(userType ? ['Member invitation'] : []), ...(team ? [`team ${team.groupId}`] : [])];
  const submitted: AuditEntry = {
    requestId: request.id,
    at: now,
    actor: input.requester,
    action: 'submitted',
    to: 'Pending',
    ...(details.length > 0 ? { detail: details.join('; ') } : {}),
  };
  const limits = submitLimits(wf);
  // The fan-out's lease is taken with the request itself: no call of its own, and no sweep races it.
  const routing = { kind: 'route' as const, owner: newLeaseOwner(wf), ttlMs: wf.inviteLeaseMs ?? DEFAULT_LEASE_MS };
  let outcome: SubmitOutcome;
  try {
    outcome = await wf.store.submit(request, { audit: submitted, limits, lease: { take: routing } });
  } catch (err) {
    // Too many of this person's submits at once to count them in time: refused, nothing stored.
    if (err instanceof ConcurrencyConflict) return { kind: 'overLimit', problem: problem('limits.busy'), entered: input.raw };
    throw err;
  }
  if (outcome.kind === 'overLimit') {
    const max = outcome.limit === 'pending' ? limits.maxPending : limits.maxPerDay;
    return {
      kind: 'overLimit',
      problem: problem(outcome.limit === 'pending' ? 'limits.pending' : 'limits.daily', { max }),
      entered: input.raw,
    };
  }
  // A replay: the id is a hash of this requester and the token, so the request is theirs; checked anyway.
  if (outcome.request.value.requester.id !== input.requester.id) throw new Error(`Request ${request.id} belongs to another requester`);
  if (outcome.kind === 'existing') {
    wf.log.info({ requestId: request.id }, 'request form submitted again; the stored request is returned');
    return { kind: 'submitted', request: outcome.request.value, replay: true };
  }
  wf.log.info({ requestId: request.id, guestDomain: checked.value.domain }, 'request submitted');
  const claim = outcome.request.leaseTaken ? takenRequestLease(wf, request.id, 'route', routing.owner, routing.ttlMs) : undefined;
  return {
    kind: 'submitted',
    request: outcome.request.value,
    replay: false,
    fanOut: claim && newRequestFanOut(wf, outcome.request, claim),
  };
}

function withoutUserType(raw: RawRequestInput): RawRequestInput {
  const { userType: _ignored, ...rest } = raw;
  return rest;
}

/** A token as the form carries it (a UUID); anything else is no token, and the submit is a fresh request. */
function submissionToken(value: string | undefined): string | undefined {
  return value !== undefined && /^[A-Za-z0-9_-]{16,64}$/.test(value) ? value : undefined;
}

function addressPolicyErrors(wf: Workflow, raw: RawRequestInput): FieldErrors {
  const addresses = wellFormedAddresses(raw);
  if (!addresses.email && !addresses.ccEmail) return {};
  const gate = checkInvitationAddresses(wf.policy, { email: addresses.email ?? '', ccEmail: addresses.ccEmail });
  return gate.ok ? {} : Object.fromEntries(gate.refusals.map((r) => [r.field, r.problem]));
}

/** A BCP 47 tag such as "de-DE"; anything else is dropped (it ends up in Graph's messageLanguage). */
function wellFormedLocale(locale: string | undefined): string | undefined {
  return locale && /^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8}){0,3}$/.test(locale) ? locale : undefined;
}
