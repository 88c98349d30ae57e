/**
 * The one way a verb or command gets at a request: the caller's right is checked before anything
 * of the request is handed out, and a request the caller may not see is answered exactly as one
 * that does not exist (same result, same reads and writes), so a request id tells an outsider
 * nothing. The verb × role table is in SECURITY.md.
 */
import { type GuestRequest, isMemberInvitation, type Person } from '../guestRequest';
import type { GetOptions, StoredRequest } from '../ports';
import { sameId } from '../lifecycle/authorization';
import { audit } from './audit';
import type { Workflow } from './workflow';

/**
 * What a verb needs: `requester` (their own request: cancel), `decide` (an approver: approve,
 * deny, retry; whether they may decide *this* request, e.g. their own, is the verb's own rule and
 * is answered in full, since they may see it), `view` (either of them: a card's refresh).
 */
export type RequestRight = 'requester' | 'decide' | 'view';

export interface Caller {
  readonly person: Person;
  /**
   * The turn comes from the configured approvers' channel (APPROVAL_CHANNEL_ID): everyone in it
   * already sees that channel's read-only approval cards, so they may view those (and only those).
   */
  readonly inApprovalChannel?: boolean;
}

/** Who the caller is to one request. */
export interface Rights {
  readonly requester: boolean;
  /** An approver (member approvers included): may see the request and try the approver verbs. */
  readonly decide: boolean;
  /**
   * A member approver, for a Member invitation: the only approvers who may decide it (or retry it).
   * An approver without it sees the request read-only; checkApproverActor says so.
   */
  readonly memberApprover: boolean;
  readonly view: boolean;
}

/**
 * The only place rights are computed. The finer approver role lives here: for a Member invitation
 * (employee-level access) `memberApprover` tells whether this approver may decide it.
 */
export function rightsOf(request: GuestRequest, callerId: string, callerIsApprover: boolean, callerIsMemberApprover = false): Rights {
  const requester = sameId(request.requester.id, callerId);
  const decide = callerIsApprover;
  return { requester, decide, memberApprover: decide && callerIsMemberApprover, view: requester || decide };
}

/** Whether the caller is a member approver: asked only for a Member invitation, and only when the feature is on. */
export async function isMemberApproverFor(wf: Workflow, request: GuestRequest, callerId: string): Promise<boolean> {
  if (!wf.memberApprovers || !isMemberInvitation(request)) return false;
  return wf.memberApprovers.isApprover(callerId);
}

export type RequestAccess =
  | { kind: 'found'; request: StoredRequest; rights: Rights }
  /** Missing, or not the caller's to see: the two are indistinguishable on purpose. */
  | { kind: 'notFound' }
  /** The verb needs an approver and the caller is none: decided before any read, so the same for every id. */
  | { kind: 'notApprover' };

/** What the caller tried (the audit entry's detail, e.g. "Approved", "cancel"); absent = a read, not audited. */
export interface Attempt {
  readonly detail: string;
}

export async function loadRequestFor(
  wf: Workflow,
  requestId: string,
  caller: Caller,
  right: RequestRight,
  attempt?: Attempt,
  /**
   * `withApprovalMessages`: the verb needs the request's cards too (read with it, in one call).
   * `recent`: a version this process holds will do, for a verb that only writes against it (RequestStore.get).
   */
  read: GetOptions = {},
): Promise<RequestAccess> {
  const isApprover = await wf.approvers.isApprover(caller.person.id);
  if (right === 'decide' && !isApprover) {
    // The operators' trail records the attempt; the request itself is not read.
    if (attempt) await audit(wf, requestId, caller.person, 'refused:notApprover', { detail: attempt.detail });
    return { kind: 'notApprover' };
  }
  const found = await wf.store.get(requestId, read);
  const rights = found
    ? rightsOf(found.value, caller.person.id, isApprover, isApprover && (await isMemberApproverFor(wf, found.value, caller.person.id)))
    : undefined;
  const allowed =
    found !== undefined &&
    rights !== undefined &&
    (rights[right] || (right === 'view' && (await seenInApprovalChannel(wf, requestId, caller))));
  if (allowed) return { kind: 'found', request: found, rights };
  if (attempt) {
    // Only the operators' trail tells the two cases apart; the caller's answer never does.
    const action = found ? `refused:${right === 'requester' ? 'notRequester' : 'notEntitled'}` : 'refused:notFound';
    await audit(wf, requestId, caller.person, action, { from: found?.value.status, detail: attempt.detail });
  }
  return { kind: 'notFound' };
}

async function seenInApprovalChannel(wf: Workflow, requestId: string, caller: Caller): Promise<boolean> {
  if (!caller.inApprovalChannel || !wf.approvalChannelId) return false;
  return (await wf.store.listApprovalMessages(requestId)).some((m) => m.channelId === wf.approvalChannelId);
}
