import type { GuestRequest } from '../../domain/guestRequest';
import type { RequestStatusCardData } from '../cardData';
import { formatTime } from '../formatTime';
import { plainText, plainTextOrDash } from '../plainText';
import { renderCard, type AdaptiveCard } from '../render';
import { statusLabel } from './statusLabel';

const TITLES: Record<GuestRequest['status'], string> = {
  Pending: 'Request sent',
  Approved: 'Request approved',
  Invited: 'Your guest is invited',
  Denied: 'Request denied',
  Failed: 'Invitation failed',
  Cancelled: 'Request cancelled',
  Expired: 'Request expired',
};

function detailFor(request: GuestRequest): string {
  switch (request.status) {
    case 'Pending':
      return 'The approvers have been asked. I will message you here when one of them decides.';
    case 'Denied':
      return `Reason: ${plainText(request.decision?.reason)}`;
    case 'Invited':
      if (request.invitation?.status === 'Accepted') {
        return `${plainText(request.guest.email)} is already a guest of our organisation and has access: they sign in at https://myapps.microsoft.com with that address. No new invitation was needed.`;
      }
      return request.guest.sendInvitationMessage
        ? 'Microsoft has emailed the invitation to the guest. You can also send them the link below.'
        : 'Send the guest the link below. Only they should open it: it signs them in as your guest.';
    case 'Failed':
      return `The invitation for ${plainText(request.guest.email)} could not be created. An approver can retry it.`;
    case 'Expired':
      return 'No approver decided in time. Send a new request if the guest still needs access.';
    default:
      return '';
  }
}

/** What the requester sees about their own request, including the redeem link once it exists. */
export function requestStatusCard(request: GuestRequest): AdaptiveCard {
  const status = statusLabel(request);
  const data: RequestStatusCardData = {
    title: TITLES[request.status],
    requestId: request.id,
    statusText: status.text,
    statusColor: status.color,
    detail: detailFor(request),
    guestEmail: plainText(request.guest.email),
    guestName: plainTextOrDash(request.guest.displayName),
    createdAt: formatTime(request.createdAt),
    redeemUrl: request.status === 'Invited' ? (request.invitation?.redeemUrl ?? '') : '',
    canCancel: request.status === 'Pending',
  };
  return renderCard('requestStatus', data);
}
