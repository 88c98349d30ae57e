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
export function approvalCard(t: Strings, request: GuestRequest, feedback = ''): AdaptiveCard {
  const status = statusLabel(t, request);
  const data: ApprovalCardData = {
    t,
    requestId: request.id,
    statusText: request.status === 'Pending' ? t.approval.waiting : status.text,
    statusColor: request.status === 'Pending' ? 'Accent' : status.color,
    decisionReason: request.status === 'Denied' && request.decision?.reason ? t.approval.reason(plainText(request.decision.reason)) : '',
    existingUser: request.status === 'Pending' ? existingAccountNote(t, request.existingAccount) : '',
    guestEmail: plainText(request.guest.email),
    guestName: plainTextOrDash(request.guest.displayName),
    requesterName: plainText(request.requester.name),
    createdAt: formatTime(request.createdAt),
    justification: plainText(request.justification),
    guestMessage: plainText(request.guest.message),
    ccEmail: plainText(request.guest.ccEmail),
    messageLanguage: request.guest.messageLanguage ? (t.form.languages[request.guest.messageLanguage] ?? request.guest.messageLanguage) : '',
    feedback: plainText(feedback),
    canDecide: request.status === 'Pending',
    canRetry: request.status === 'Failed',
  };
  return renderCard('approval', data);
}
