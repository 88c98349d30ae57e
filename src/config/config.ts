/** The bot's configuration: one typed object, parsed and checked once at start-up. */
import type { GraphCredentialKind } from './graphCredentialChoice';
import type { DomainPolicy } from '../domain/policy/domainPolicy';

export type BotAppType = 'MultiTenant' | 'SingleTenant' | 'UserAssignedMSI';

export interface Config {
  readonly port: number;
  /** The interface the server listens on: 127.0.0.1 in local mode (no inbound authentication), else HOST or every interface. */
  readonly host: string;
  readonly bot: {
    readonly appId: string;
    readonly appPassword: string;
    readonly appType: BotAppType;
    readonly appTenantId: string;
    /** No MicrosoftAppId: no inbound authentication, for the local sandbox only. */
    readonly localMode: boolean;
  };
  /** Empty string = no tenant check (local mode only). */
  readonly tenantId: string;
  readonly graph: {
    readonly baseUrl: string;
    readonly credential: GraphCredentialKind;
    readonly inviteConcurrency: number;
    readonly invitesPerSecond: number;
  };
  readonly storage: { readonly connectionString: string; readonly tablePrefix: string };
  readonly approverIds: readonly string[];
  /** Entra group whose transitive members may also approve; '' = none. */
  readonly approverGroupId: string;
  /** Who may decide Member invitations (MEMBER_APPROVER_IDS), canonical GUIDs; with the group empty too = Guests only. */
  readonly memberApproverIds: readonly string[];
  /** Entra group whose transitive members may decide Member invitations (MEMBER_APPROVER_GROUP_ID); '' = none. */
  readonly memberApproverGroupId: string;
  /** Teams channel that receives the approval cards instead of 1:1 chats; '' = 1:1 chats. */
  readonly approvalChannelId: string;
  /** The app's manifest id (its externalId in the org's catalog): the bot installs itself for people it cannot reach; '' = never. */
  readonly teamsAppId: string;
  /** Per-requester limits; 0 = no limit. */
  readonly limits: { readonly maxPending: number; readonly maxPerDay: number };
  readonly policy: DomainPolicy;
  readonly inviteRedirectUrl: string;
  readonly logLevel: string;
  readonly sweepIntervalMs: number;
  /** Pending requests older than this become Expired (REQUEST_EXPIRY_DAYS). */
  readonly requestExpiryMs: number;
  /** Approvers are reminded once about a request still Pending after this (REMINDER_HOURS). */
  readonly reminderMs: number;
  /** Language of proactive approver cards and messages (DEFAULT_LOCALE); requesters get their own. */
  readonly defaultLocale: string;
  /** TTL of the sweep and per-request leases (LEASE_SECONDS, ≤ 30 s, renewed while held): how long a crashed holder blocks others. */
  readonly leaseMs: number;
}
