import { type ExistingAccount, type GuestRequest, isMemberInvitation } from '../../domain/guestRequest';
import type { ApprovalCardData } from '../cardData';
import { formatTime } from '../formatTime';
import type { Strings } from '../i18n/strings';
import { plainText, plainTextOrDash } from '../plainText';
import { renderCard, type AdaptiveCard } from '../render';
import { LIST_NAME_MAX, LIST_TEXT_MAX, shorten } from '../shorten';
import { statusLabel } from './statusLabel';

function existingAccountNote(t: Strings, account: ExistingAccount | undefined): string {
  switch (account?.kind) {
    case 'member':
      return t.approval.existingMember;
    case 'guestAccepted':
      return t.approval.existingGuestAccepted;
    case 'guestPendingAcceptance':
      return t.approval.existingGuestPending;
    default:
      return '';
  }
}

/**
 * The approval card as every approver sees it: buttons only while a decision is possible.
 * `feedback` is a sentence for the approver who just clicked (already in their language).
 */
export interface ApprovalCardView {
  /** The channel's shared card: no buttons for anyone (deciders get theirs through `refreshFor`). */
  readonly readOnly?: boolean;
  /** Universal Actions refresh: Teams asks the bot for these users' own view (max 60 ids). */
  readonly refreshFor?: readonly string[];
  /** One of many cards in a message (`pending`): long texts are shortened; the request's own card has them whole. */
  readonly inList?: boolean;
}

export const REFRESH_VERB = 'refreshApproval';
/** Teams shows a user-specific view to at most 60 users of a card. */
const MAX_REFRESH_USERS = 60;

export function approvalCard(t: Strings, request: GuestRequest, feedback = '', view: ApprovalCardView = {}): AdaptiveCard {
  const status = statusLabel(t, request);
  const long = (text: string | undefined, max: number) => (view.inList ? shorten(text, max) : text);
  const member = isMemberInvitation(request);
  const data: ApprovalCardData = {
    t,
    memberInvitation: member,
    userTypeText: member ? t.userTypes.Member : '',
    requestId: request.id,
    statusText: approvalStatusText(t, request, status.text),
    statusColor: status.color,
    decisionReason: request.status === 'Denied' && request.decision?.reason ? t.approval.reason(plainText(request.decision.reason)) : '',
    existingUser: request.status === 'Pending' ? existingAccountNote(t, request.existingAccount) : '',
    guestEmail: plainText(request.guest.email),
    guestName: plainTextOrDash(long(request.guest.displayName, LIST_NAME_MAX)),
    requesterName: plainText(long(request.requester.name, LIST_NAME_MAX)),
    createdAt: formatTime(request.createdAt, t.locale),
    justification: plainText(long(request.justification, LIST_TEXT_MAX)),
    guestMessage: plainText(long(request.guest.message, LIST_TEXT_MAX)),
    ccEmail: plainText(request.guest.ccEmail),
    // The language is the invitation email's: without an email there is nothing it applies to.
    messageLanguage:
      request.guest.sendInvitationMessage && request.guest.messageLanguage
        ? plainText(t.form.languages[request.guest.messageLanguage] ?? request.guest.messageLanguage)
        : '',
    teamName: plainText(request.team?.name),
    feedback: plainText(feedback),
    canDecide: !view.readOnly && request.status === 'Pending',
    canRetry: !view.readOnly && request.status === 'Failed',
  };
  return withApprovalRefresh(renderCard('approval', data), request, view.refreshFor);
}

/**
 * The approval card with a Universal Actions refresh for `userIds` (Teams user ids), while the
 * request can still change what an approver's card should show: Pending, Approved (the invitation
 * follows: approvers' cards are not redrawn through the connector for it, docs/protocol.md §3) and
 * Failed (a retry may follow). A shallow copy: a cached card drawn for everyone stays shared.
 */
export function withApprovalRefresh(card: AdaptiveCard, request: GuestRequest, userIds: readonly string[] | undefined): AdaptiveCard {
  if (!userIds || userIds.length === 0 || !MAY_CHANGE.includes(request.status)) return card;
  // Added here rather than in the template: an empty refresh must be absent, not null.
  return {
    ...card,
    refresh: {
      action: { type: 'Action.Execute', verb: REFRESH_VERB, data: { requestId: request.id } },
      userIds: userIds.slice(0, MAX_REFRESH_USERS),
    },
  };
}

const MAY_CHANGE: readonly GuestRequest['status'][] = ['Pending', 'Approved', 'Failed'];

/**
 * Pending: waiting. Approved: who approved and when, and nothing that stops being true when the
 * invitation is made (the card may stay on screen as it is: the deciding approver's is the invoke's
 * own answer, the others' are updated once at the decision).
 */
function approvalStatusText(t: Strings, request: GuestRequest, statusText: string): string {
  if (request.status === 'Pending') return t.approval.waiting;
  if (request.status === 'Approved' && request.decision)
    return t.approval.approved(plainText(request.decision.by.name), formatTime(request.decision.at, t.locale));
  return statusText;
}
