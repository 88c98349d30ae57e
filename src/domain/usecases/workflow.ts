/**
 * Everything the use cases need, handed down by the composition root. Tests build the same object
 * with real adapters and fakes only at the edges.
 */
import type { DomainPolicy } from '../policy/domainPolicy';
import type {
  ApproverRoster,
  Clock,
  Directory,
  IdGenerator,
  Leases,
  Logger,
  Notifier,
  PersonalChats,
  RequesterLimits,
  RequestStore,
} from '../ports';
import type { TeamGroups, TeamRegistry } from '../teams';

export type { ApproverRoster } from '../ports';

export type { RequesterLimits } from '../ports';

export interface Workflow {
  readonly store: RequestStore;
  readonly directory: Directory;
  readonly notifier: Notifier;
  /** Everyone who may approve, member approvers included. */
  readonly approvers: ApproverRoster;
  /**
   * Who may decide Member invitations (MEMBER_APPROVER_IDS / _GROUP_ID); absent = Guests only: the
   * form offers no user type and every request is a Guest invitation.
   */
  readonly memberApprovers?: ApproverRoster;
  readonly leases: Leases;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly policy: DomainPolicy;
  readonly limits?: RequesterLimits;
  /** Post approval cards to this Teams channel instead of 1:1 chats (APPROVAL_CHANNEL_ID). */
  readonly approvalChannelId?: string;
  readonly inviteRedirectUrl: string;
  readonly log: Logger;
  /** Identifies this process as a lease owner. */
  readonly instanceId: string;
  /** TTL of the per-request invitation lease (default INVITE_LEASE_MS). */
  readonly inviteLeaseMs?: number;
  /** The teams the bot is installed in; absent = the form offers no team. */
  readonly teams?: TeamRegistry;
  /** The teams' groups in the directory (membership, adding the guest); needed with `teams`. */
  readonly teamGroups?: TeamGroups;
  /** Each person's own chat with the bot; absent = chats are opened as needed. */
  readonly chats?: PersonalChats;
}
