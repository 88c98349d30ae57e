/**
 * The one way a verb or command gets at a request: the caller's right is checked before anything
 * of the request is handed out, and a request the caller may not see is answered exactly as one
 * that does not exist (same result, same reads and writes), so a request id tells an outsider
 * nothing. The verb × role table is in SECURITY.md.
 */
import type { GuestRequest, Person, Versioned } from '../guestRequest';
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
  readonly decide: boolean;
  readonly view: boolean;
}

/**
 * The only place rights are computed. A finer approver role (say, approvers of Member requests
 * only) belongs here: `decide` would then also depend on the request.
 */
export function rightsOf(request: GuestRequest, callerId: string, callerIsApprover: boolean): Rights {
  const requester = sameId(request.requester.id, callerId);
  const decide = callerIsApprover;
  return { requester, decide, view: requester || decide };
}

export type RequestAccess =
  | { kind: 'found'; request: Versioned<GuestRequest>; rights: Rights }
  /** Missing, or not the caller's to see: the two are indistinguishable on purpose. */
  | { kind: 'notFound' }
  /** The verb needs an approver and the caller is none: decided before any read, so the same for every id. */
  | { kind: 'notApprover' };

/** What the caller tried (the audit entry's detail, e.g. "Approved", "cancel"); absent = a read, not audited. */
export interface Attempt {
  readonly detail: string;
}

export async function loadRequestFor(wf: Workflow, requestId: string, caller: Caller, right: RequestRight, attempt?: Attempt): Promise<RequestAccess> {
  const isApprover = await wf.approvers.isApprover(caller.person.id);
  if (right === 'decide' && !isApprover) {
    // The operators' trail records the attempt; the request itself is not read.
    if (attempt) await audit(wf, requestId, caller.person, 'refused:notApprover', { detail: attempt.detail });
    return { kind: 'notApprover' };
  }
  const found = await wf.store.get(requestId);
  const rights = found ? rightsOf(found.value, caller.person.id, isApprover) : undefined;
  const allowed = found !== undefined && rights !== undefined && (rights[right] || (right === 'view' && (await seenInApprovalChannel(wf, requestId, caller))));
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
