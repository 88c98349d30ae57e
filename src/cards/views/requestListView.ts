import type { GuestRequest } from '../../domain/guestRequest';
import type { Page } from '../../domain/ports';
import type { RequestListItem } from '../cardData';
import { formatTime } from '../formatTime';
import { plainText } from '../plainText';
import { renderCard, type AdaptiveCard } from '../render';
import { statusLabel } from './statusLabel';

function item(request: GuestRequest): RequestListItem {
  const status = statusLabel(request);
  return {
    guestEmail: plainText(request.guest.email),
    statusText: status.text,
    statusColor: status.color,
    line: `${request.id} · requested by ${plainText(request.requester.name)} on ${formatTime(request.createdAt)}`,
  };
}

export function requestListCard(title: string, emptyText: string, page: Page<GuestRequest>, moreVerb: string): AdaptiveCard {
  return renderCard('requestList', { title, emptyText, items: page.items.map(item), next: page.next ?? '', moreVerb });
}
