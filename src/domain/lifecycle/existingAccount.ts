/**
 * Classifies what the directory already has for an address. A member is a colleague (never a
 * guest); a guest who accepted already has access; a guest who never accepted can be re-invited,
 * which makes Graph send a fresh redeem link to the same account.
 */
import type { ExistingAccount } from '../guestRequest';
import type { DirectoryUser } from '../ports';

export function classifyExistingAccount(users: readonly DirectoryUser[], checkedAt: string): ExistingAccount {
  const member = users.find((u) => (u.userType ?? 'Member').toLowerCase() === 'member');
  if (member) return { checkedAt, kind: 'member', userId: member.id };
  const guest = users[0];
  if (!guest) return { checkedAt, kind: 'none' };
  const accepted = (guest.externalUserState ?? '').toLowerCase() === 'accepted';
  return { checkedAt, kind: accepted ? 'guestAccepted' : 'guestPendingAcceptance', userId: guest.id };
}
