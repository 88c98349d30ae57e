import { type GuestRequest, isMemberInvitation } from '../../domain/guestRequest';
import type { Page } from '../../domain/ports';
import type { RequestListItem } from '../cardData';
import { formatTime } from '../formatTime';
import type { Strings } from '../i18n/strings';
import { plainText } from '../plainText';
import { renderCard, type AdaptiveCard } from '../render';
import { LIST_NAME_MAX, shorten } from '../shorten';
import { statusLabel } from './statusLabel';

function item(t: Strings, request: GuestRequest): RequestListItem {
  const status = statusLabel(t, request);
  return {
    requestId: request.id,
    // The list is the reader's own: who the guest is matters, not who asked (they did).
    guestName: plainText(shorten(request.guest.displayName, LIST_NAME_MAX)),
    guestEmail: plainText(request.guest.email),
    statusText: status.text,
    statusColor: status.color,
    line: [
      t.list.line(request.id, formatTime(request.createdAt, t.locale)),
      ...(isMemberInvitation(request) ? [t.userTypes.Member] : []),
    ].join(' · '),
    canCancel: request.status === 'Pending',
  };
}

/** One page of the requester's own requests ("my requests"), with "show more" while there is more. */
export function requestListCard(t: Strings, emptyText: string, page: Page<GuestRequest>): AdaptiveCard {
  return renderCard('requestList', { t, emptyText, items: page.items.map((r) => item(t, r)), next: page.next ?? '' });
}
