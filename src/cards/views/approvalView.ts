import type { GuestRequest } from '../../domain/guestRequest';
import { describeExistingAccount } from '../../domain/lifecycle/existingAccount';
import type { ApprovalCardData } from '../cardData';
import { formatTime } from '../formatTime';
import { plainText, plainTextOrDash } from '../plainText';
import { renderCard, type AdaptiveCard } from '../render';
import { statusLabel } from './statusLabel';

/** The approval card as every approver sees it: buttons only while a decision is possible. */
export function approvalCard(request: GuestRequest, feedback = ''): AdaptiveCard {
  const status = statusLabel(request);
  const data: ApprovalCardData = {
    requestId: request.id,
    statusText: request.status === 'Pending' ? 'Waiting for a decision' : status.text,
    statusColor: request.status === 'Pending' ? 'Accent' : status.color,
    decisionReason: request.status === 'Denied' ? plainText(request.decision?.reason) : '',
    existingUser: describeExistingAccount(request.existingAccount),
    guestEmail: plainText(request.guest.email),
    guestName: plainTextOrDash(request.guest.displayName),
    requesterName: plainText(request.requester.name),
    createdAt: formatTime(request.createdAt),
    justification: plainText(request.justification),
    guestMessage: plainText(request.guest.message),
    feedback: plainText(feedback),
    canDecide: request.status === 'Pending',
    canRetry: request.status === 'Failed',
  };
  return renderCard('approval', data);
}
