import type { GuestRequest } from '../../domain/guestRequest';
import type { Strings } from '../i18n/strings';
import { plainText } from '../plainText';

/** The sentence that tells the requester how adding their guest to the team went; '' before that. */
export function teamMembershipText(t: Strings, request: GuestRequest): string {
  const membership = request.teamMembership;
  if (!request.team || !membership) return '';
  const guest = plainText(request.guest.displayName?.trim() || request.guest.email);
  const team = plainText(request.team.name);
  switch (membership.status) {
    case 'added':
      return t.teams.added(guest, team);
    case 'alreadyMember':
      return t.teams.alreadyMember(guest, team);
    case 'failed':
      return t.teams.failed(guest, team, t.teams.reasons[membership.reason ?? 'refused']);
  }
}

/** A team name for a choice title: choice titles are not markdown, so only invisible tricks are removed. */
export function teamChoiceTitle(name: string): string {
  return (
    name
      // eslint-disable-next-line no-control-regex -- removing control characters is the point
      .replace(/[\u0000-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2066-\u2069]/g, '')
      .trim()
      .slice(0, 256) || '—'
  );
}
