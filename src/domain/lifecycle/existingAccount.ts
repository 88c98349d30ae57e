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

/** The line approvers read on the card; empty when there is nothing to say. */
export function describeExistingAccount(account: ExistingAccount | undefined): string {
  switch (account?.kind) {
    case 'member':
      return 'This address belongs to a member of our organisation: they are a colleague, not a guest, and can\'t be invited.';
    case 'guestAccepted':
      return 'Already a guest (accepted): they have access already. Approving tells the requester so; no new invitation is sent.';
    case 'guestPendingAcceptance':
      return 'Already a guest (not yet accepted): approving sends a fresh invitation link to the same guest account.';
    default:
      return '';
  }
}
