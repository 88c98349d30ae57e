import type { GuestRequest } from '../../domain/guestRequest';
import type { StatusColor } from '../cardData';
import { formatTime } from '../formatTime';
import { plainText } from '../plainText';

/** One line saying where a request stands, and its colour; shared by every card that shows status. */
export function statusLabel(request: GuestRequest): { text: string; color: StatusColor } {
  const by = request.decision ? plainText(request.decision.by.name) : '';
  const when = request.decision ? ` on ${formatTime(request.decision.at)}` : '';
  switch (request.status) {
    case 'Pending':
      return { text: 'Pending approval', color: 'Accent' };
    case 'Approved':
      return { text: `Approved by ${by}${when}: creating the invitation…`, color: 'Good' };
    case 'Invited':
      return { text: `Approved by ${by}${when}. Invitation created.`, color: 'Good' };
    case 'Denied':
      return { text: `Denied by ${by}${when}`, color: 'Attention' };
    case 'Failed':
      return { text: `Approved by ${by}${when}, but the invitation failed: ${plainText(request.failure?.message)}`, color: 'Attention' };
    case 'Cancelled':
      return { text: 'Cancelled by the requester', color: 'Default' };
    case 'Expired':
      return { text: 'Expired without a decision', color: 'Default' };
  }
}
