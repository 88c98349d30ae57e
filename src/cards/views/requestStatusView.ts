import { type GuestRequest, isMemberInvitation } from '../../domain/guestRequest';
import type { RequestStatusCardData } from '../cardData';
import { formatTime } from '../formatTime';
import type { Strings } from '../i18n/strings';
import { plainText, plainTextOrDash } from '../plainText';
import { renderCard, type AdaptiveCard } from '../render';
import { statusLabel } from './statusLabel';
import { teamMembershipText } from './teamMembershipText';

function detailFor(t: Strings, request: GuestRequest): string {
  switch (request.status) {
    case 'Pending':
      return t.status.detailPending;
    case 'Denied':
      return t.approval.reason(plainText(request.decision?.reason));
    case 'Invited':
      if (request.invitation?.status === 'Accepted') return t.status.detailAlreadyGuest(plainText(request.guest.email));
      // The link's own instruction (linkIntro) says what to do with it: said once, not here again.
      return request.guest.sendInvitationMessage ? t.status.detailInvitedEmailed : '';
    case 'Failed':
      return t.status.detailFailed(plainText(request.guest.email));
    case 'Expired':
      return t.status.detailExpired;
    default:
      return '';
  }
}

/** What the requester sees about their own request, including the redeem link once it exists. */
export function requestStatusCard(t: Strings, request: GuestRequest): AdaptiveCard {
  const status = statusLabel(t, request);
  // Shown as selectable text to copy, never as a button: the link is the guest's, not the requester's.
  const redeemUrl = request.status === 'Invited' ? (request.invitation?.redeemUrl ?? '') : '';
  const data: RequestStatusCardData = {
    t,
    title: t.status.titles[request.status],
    requestId: request.id,
    statusText: status.text,
    statusColor: status.color,
    detail: detailFor(t, request),
    guestEmail: plainText(request.guest.email),
    guestName: plainTextOrDash(request.guest.displayName),
    createdAt: formatTime(request.createdAt, t.locale),
    redeemUrl,
    linkIntro: redeemUrl ? t.status.linkIntro(plainText(request.guest.displayName) || plainText(request.guest.email)) : '',
    canCancel: request.status === 'Pending',
    teamName: plainText(request.team?.name),
    teamResult: teamMembershipText(t, request),
    teamResultColor: request.teamMembership?.status === 'failed' ? 'Warning' : 'Good',
    userTypeText: isMemberInvitation(request) ? t.userTypes.Member : '',
  };
  return renderCard('requestStatus', data);
}
