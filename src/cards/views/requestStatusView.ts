import { type GuestRequest, isMemberInvitation } from '../../domain/guestRequest';
import { isFinal } from '../../domain/lifecycle/transitions';
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

/** The Action.Execute verb of the status card's Universal Actions refresh (docs/protocol.md). */
export const STATUS_REFRESH_VERB = 'refreshStatus';

export interface StatusCardView {
  /**
   * The requester's live card (the one their submit replaced, updated in place): while the request
   * can still change, Teams asks the bot for its current state whenever it is shown (refresh).
   */
  readonly live?: boolean;
}

/** What the requester sees about their own request, including the redeem link once it exists. */
export function requestStatusCard(t: Strings, request: GuestRequest, view: StatusCardView = {}): AdaptiveCard {
  const status = statusLabel(t, request);
  // Shown as selectable text to copy, never as a button: the link is the guest's, not the requester's.
  // The link is shown once in the chat: in the link message. The live card (updated in place above
  // it) only says where to find it, unless that message may not have arrived (README, Reliability:
  // one link message per request, at most once): then the card carries the link itself.
  const link = request.status === 'Invited' ? (request.invitation?.redeemUrl ?? '') : '';
  const linkMessageArrived = Boolean(request.requesterNotifiedAt) && !request.outcomeDeliveryUnconfirmed && !request.requesterUnreachable;
  const redeemUrl = view.live && linkMessageArrived ? '' : link;
  const guest = plainText(request.guest.displayName) || plainText(request.guest.email);
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
    linkIntro: redeemUrl ? t.status.linkIntro(guest) : link ? t.status.linkInMessage(guest) : '',
    canCancel: request.status === 'Pending',
    teamName: plainText(request.team?.name),
    teamResult: teamMembershipText(t, request),
    teamResultColor: request.teamMembership?.status === 'failed' ? 'Warning' : 'Good',
    userTypeText: isMemberInvitation(request) ? t.userTypes.Member : '',
  };
  const card = renderCard('requestStatus', data);
  if (view.live && mayStillChange(request)) {
    // Added here rather than in the template: a card without refresh must have none, not null.
    // userIds are Teams user ids (MRIs, "29:…"): the requester's, as their chat knows them.
    card.refresh = {
      action: { type: 'Action.Execute', verb: STATUS_REFRESH_VERB, data: { requestId: request.id } },
      userIds: [request.requesterAddress.userId ?? request.requester.id],
    };
  }
  return card;
}

/** Not settled yet: a decision, the invitation or the team step may still change what the card says. */
function mayStillChange(request: GuestRequest): boolean {
  if (!isFinal(request.status)) return true;
  return request.status === 'Invited' && request.team !== undefined && request.teamMembership === undefined;
}
