import type { Failure, GuestRequest } from '../../domain/guestRequest';
import type { StatusColor } from '../cardData';
import { formatTime } from '../formatTime';
import { describeProblem } from '../i18n';
import type { Strings } from '../i18n/strings';
import { plainText } from '../plainText';

/** One line saying where a request stands, and its colour; shared by every card that shows status. */
export function statusLabel(t: Strings, request: GuestRequest): { text: string; color: StatusColor } {
  const by = request.decision ? plainText(request.decision.by.name) : '';
  const when = request.decision ? formatTime(request.decision.at, t.locale) : '';
  switch (request.status) {
    case 'Pending':
      return { text: t.status.pending, color: 'Accent' };
    case 'Approved':
      return { text: t.status.approved(by, when), color: 'Good' };
    case 'Invited':
      return { text: t.status.invited(by, when), color: 'Good' };
    case 'Denied':
      return { text: t.status.denied(by, when), color: 'Attention' };
    case 'Failed':
      return { text: t.status.failed(by, when, plainText(failureText(t, request.failure))), color: 'Attention' };
    case 'Cancelled':
      return { text: t.status.cancelled, color: 'Default' };
    case 'Expired':
      return { text: t.status.expired, color: 'Default' };
  }
}

/** Why an invitation failed, in the reader's words when the bot itself refused (the domain policy), else Graph's text. */
export function failureText(t: Strings, failure: Failure | undefined): string | undefined {
  return failure?.problem ? describeProblem(t, failure.problem) : failure?.message;
}
