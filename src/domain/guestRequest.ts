/**
 * The guest request: what an employee asked for and where it stands.
 * Pure data — no framework types — so that every layer can hold it and tests can build it by hand.
 */
import type { Problem } from './problems';

export const REQUEST_STATUSES = ['Pending', 'Approved', 'Denied', 'Invited', 'Failed', 'Cancelled', 'Expired'] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];

/** A person as Teams names them: the Entra object id is the identity, the name is for display only. */
export interface Person {
  readonly id: string;
  readonly name: string;
}

/**
 * Where the bot can reach a person proactively. A domain-owned copy of the few fields of a
 * Bot Framework conversation reference that matter, so the domain never imports botbuilder.
 */
export interface ChatAddress {
  readonly serviceUrl: string;
  readonly channelId: string;
  readonly conversationId: string;
  readonly tenantId?: string;
  readonly botId?: string;
  readonly botName?: string;
  readonly userId?: string;
}

/** Graph's invitedUserType: a Member gets the same default access as an employee. */
export type InvitedUserType = 'Guest' | 'Member';

export interface GuestDetails {
  /** Lower-cased domain, original local part (Graph treats addresses case-insensitively). */
  readonly email: string;
  readonly displayName?: string;
  /** The requester's personal note, sent as invitedUserMessageInfo.customizedMessageBody. */
  readonly message?: string;
  readonly sendInvitationMessage: boolean;
  /** A second recipient of Microsoft's invitation email (e.g. the requester's assistant). */
  readonly ccEmail?: string;
  /** Language of Microsoft's standard invitation email; absent = the requester's, else English. */
  readonly messageLanguage?: string;
  /** 'Member' only when a member invitation was asked for (MEMBER_APPROVER_IDS / _GROUP_ID set); absent = Guest. */
  readonly userType?: 'Member';
}

/** Whether the request invites a Member (decided by member approvers only; SECURITY.md). */
export function isMemberInvitation(request: Pick<GuestRequest, 'guest'>): boolean {
  return request.guest.userType === 'Member';
}

/** What Graph receives as invitedUserType for this request. */
export function invitedUserTypeOf(request: Pick<GuestRequest, 'guest'>): InvitedUserType {
  return isMemberInvitation(request) ? 'Member' : 'Guest';
}

export interface Decision {
  readonly by: Person;
  readonly at: string;
  readonly outcome: 'Approved' | 'Denied';
  readonly reason?: string;
  /**
   * The approval card the decision was clicked on (the invoke's replyToId), whose answer already
   * shows it: no later refresh updates that card again (docs/protocol.md §3). Unchecked: it only
   * ever skips an update of the decider's own card with that id.
   */
  readonly answeredCardId?: string;
}

export interface InvitationResult {
  readonly invitedUserId: string;
  /** Graph's invitation status, e.g. "PendingAcceptance". */
  readonly status: string;
  /** Kept so the link can be (re)delivered after a crash; it is never logged. */
  readonly redeemUrl: string;
  readonly at: string;
}

/** What the directory already knew about the guest's address when the approvers were asked. */
export interface ExistingAccount {
  readonly checkedAt: string;
  /** none = nobody has the address yet (the usual case). */
  readonly kind: 'none' | 'member' | 'guestAccepted' | 'guestPendingAcceptance';
  readonly userId?: string;
}

/** The team (its Microsoft 365 group) the guest is to join once invited. */
export interface TeamRef {
  readonly groupId: string;
  readonly name: string;
}

/** Why adding the guest to the team failed, as a code the presentation turns into words. */
export type TeamMembershipFailure = 'groupNotFound' | 'forbidden' | 'refused';

/** What became of adding the invited guest to the request's team. */
export interface TeamMembership {
  readonly status: 'added' | 'alreadyMember' | 'failed';
  readonly at: string;
  /** For a failure: which kind (words in src/cards/i18n). */
  readonly reason?: TeamMembershipFailure;
  /** For a failure: Graph's own message, for the audit trail and operators. */
  readonly detail?: string;
  /** Set once the requester has been told (or could not be, for good): the step is then finished. */
  readonly requesterNotifiedAt?: string;
}

export interface Failure {
  readonly code: string;
  /** Graph's own text, or for a policy refusal an English line for the audit trail and operators. */
  readonly message: string;
  readonly at: string;
  /** Set when the bot refused before calling Graph (the domain policy): readers get it in their own words. */
  readonly problem?: Problem;
}

export interface GuestRequest {
  readonly id: string;
  readonly status: RequestStatus;
  readonly guest: GuestDetails;
  readonly justification: string;
  readonly requester: Person;
  /** The requester's own chat with the bot, for outcome messages. */
  readonly requesterAddress: ChatAddress;
  /** The requester's Teams locale (e.g. "de-DE"): their messages and the invitation email use it. */
  readonly requesterLocale?: string;
  /**
   * The message in the requester's chat (requesterAddress) that holds their status card: the form
   * the submit answer replaced. Every status change updates it in place. Absent = nothing to update.
   */
  readonly requesterCardId?: string;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly decision?: Decision;
  readonly invitation?: InvitationResult;
  readonly failure?: Failure;
  /** The directory look-up done before the approval cards went out; absent if it could not be done. */
  readonly existingAccount?: ExistingAccount;
  /** Teams refused the outcome message for good (the requester blocked the bot, say): not retried. */
  readonly requesterUnreachable?: { readonly at: string; readonly status: number };
  /** Set once the requester was told that no approver can be reached in Teams (told once). */
  readonly approversUnreachableToldAt?: string;
  /** Set once the requester has been told the final outcome, to avoid telling them twice. */
  readonly requesterNotifiedAt?: string;
  /**
   * The delivery record of the outcome message (the one with the link): set just before it is sent,
   * cleared when the send certainly failed. A re-run that finds it set does not send again.
   */
  readonly outcomeSendStartedAt?: string;
  /** A sender stopped mid-send (crash, lost lease): the message may or may not have arrived and is not sent again. */
  readonly outcomeDeliveryUnconfirmed?: true;
  /** Set once the approvers have been reminded of a request still Pending, so it happens once. */
  readonly reminderSentAt?: string;
  /** The team the guest joins after the invitation (chosen on the form among the requester's teams). */
  readonly team?: TeamRef;
  /** The result of adding the guest to `team`; absent until that step ran. */
  readonly teamMembership?: TeamMembership;
}

/** A stored value together with the version token (eTag) that a conditional write must present. */
export interface Versioned<T> {
  readonly value: T;
  readonly etag: string;
}

/** One entry of a request's audit trail: every transition and every refused attempt. */
export interface AuditEntry {
  readonly requestId: string;
  readonly at: string;
  readonly actor: Person;
  readonly action: string;
  readonly from?: RequestStatus;
  readonly to?: RequestStatus;
  readonly detail?: string;
}

/** The approval card sent to one approver: where it is, so it can be updated after the decision. */
export interface ApprovalMessage {
  readonly requestId: string;
  /** The approver whose chat holds the card, or `channel:<id>` for a card posted to a channel. */
  readonly approverId: string;
  /** Set when the card was posted to the approvers' channel (APPROVAL_CHANNEL_ID). */
  readonly channelId?: string;
  /** For a channel card: who gets their own view with the buttons, as Teams user ids (MRIs, "29:…"): what refresh.userIds takes. */
  readonly deciders?: readonly string[];
  /** A 1:1 card drawn without buttons: a Member invitation shown to an approver who may not decide it. */
  readonly readOnly?: true;
  readonly address: ChatAddress;
  readonly activityId: string;
}

/** The approval-message key of a channel post (approval messages are keyed by approver). */
export function channelApprovalKey(channelId: string): string {
  return `channel:${channelId}`;
}
