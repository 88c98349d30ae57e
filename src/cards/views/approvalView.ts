import type { ExistingAccount, GuestRequest } from '../../domain/guestRequest';
import type { ApprovalCardData } from '../cardData';
import { formatTime } from '../formatTime';
import type { Strings } from '../i18n/strings';
import { plainText, plainTextOrDash } from '../plainText';
import { renderCard, type AdaptiveCard } from '../render';
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
}

export const REFRESH_VERB = 'refreshApproval';
/** Teams shows a user-specific view to at most 60 users of a card. */
const MAX_REFRESH_USERS = 60;

export function approvalCard(t: Strings, request: GuestRequest, feedback = '', view: ApprovalCardView = {}): AdaptiveCard {
  const status = statusLabel(t, request);
  const data: ApprovalCardData = {
    t,
    requestId: request.id,
    statusText: request.status === 'Pending' ? t.approval.waiting : status.text,
    statusColor: status.color,
    decisionReason: request.status === 'Denied' && request.decision?.reason ? t.approval.reason(plainText(request.decision.reason)) : '',
    existingUser: request.status === 'Pending' ? existingAccountNote(t, request.existingAccount) : '',
    guestEmail: plainText(request.guest.email),
    guestName: plainTextOrDash(request.guest.displayName),
    requesterName: plainText(request.requester.name),
    createdAt: formatTime(request.createdAt, t.locale),
    justification: plainText(request.justification),
    guestMessage: plainText(request.guest.message),
    ccEmail: plainText(request.guest.ccEmail),
    messageLanguage: request.guest.messageLanguage ? (t.form.languages[request.guest.messageLanguage] ?? request.guest.messageLanguage) : '',
    teamName: plainText(request.team?.name),
    feedback: plainText(feedback),
    canDecide: !view.readOnly && request.status === 'Pending',
    canRetry: !view.readOnly && request.status === 'Failed',
  };
  const card = renderCard('approval', data);
  if (view.refreshFor && view.refreshFor.length > 0 && (request.status === 'Pending' || request.status === 'Failed')) {
    // Added here rather than in the template: an empty refresh must be absent, not null.
    card.refresh = {
      action: { type: 'Action.Execute', verb: REFRESH_VERB, data: { requestId: request.id } },
      userIds: view.refreshFor.slice(0, MAX_REFRESH_USERS),
    };
  }
  return card;
}
