/**
 * Every word the bot shows, per language. Card templates bind to these (`${t.…}`), views and
 * handlers call the functions. Parameters that carry user text arrive already made plain.
 */
import type { RequestStatus } from '../../domain/guestRequest';
import type { TeamMembershipFailure } from '../../domain/guestRequest';
import type { ProblemCode, ProblemParams } from '../../domain/problems';

export type Language = 'en' | 'de';

export interface Strings {
  readonly language: Language;
  readonly problems: Readonly<Record<ProblemCode, (p: ProblemParams) => string>>;
  readonly help: {
    readonly title: string;
    readonly welcomeTitle: string;
    readonly intro: string;
    readonly request: string;
    readonly myRequests: string;
    readonly pending: string;
    readonly help: string;
    readonly button: string;
  };
  readonly form: {
    readonly title: string;
    readonly intro: string;
    readonly fixFields: string;
    readonly emailLabel: string;
    readonly emailPlaceholder: string;
    readonly emailRequired: string;
    readonly nameLabel: string;
    readonly namePlaceholder: string;
    readonly justificationLabel: string;
    readonly justificationPlaceholder: string;
    readonly justificationRequired: string;
    readonly messageLabel: string;
    readonly messagePlaceholder: string;
    readonly sendToggle: string;
    readonly ccLabel: string;
    readonly ccPlaceholder: string;
    readonly languageLabel: string;
    readonly emailNote: string;
    readonly languages: Readonly<Record<string, string>>;
    readonly teamLabel: string;
    readonly noTeam: string;
    readonly submit: string;
  };
  readonly facts: {
    readonly guest: string;
    readonly name: string;
    readonly requestedBy: string;
    readonly requested: string;
    readonly requestId: string;
    readonly cc: string;
    readonly language: string;
    readonly team: string;
  };
  readonly approval: {
    readonly title: string;
    readonly waiting: string;
    readonly reason: (reason: string) => string;
    readonly justification: string;
    readonly messageForGuest: string;
    readonly reasonLabel: string;
    readonly approve: string;
    readonly deny: string;
    readonly retry: string;
    readonly alreadyDecidedBy: (name: string) => string;
    readonly alreadyInStatus: (status: string) => string;
    readonly ownRequest: string;
    readonly existingMember: string;
    readonly existingGuestAccepted: string;
    readonly existingGuestPending: string;
  };
  readonly status: {
    readonly names: Readonly<Record<RequestStatus, string>>;
    readonly pending: string;
    readonly approved: (by: string, when: string) => string;
    readonly invited: (by: string, when: string) => string;
    readonly denied: (by: string, when: string) => string;
    readonly failed: (by: string, when: string, why: string) => string;
    readonly cancelled: string;
    readonly expired: string;
    readonly titles: Readonly<Record<RequestStatus, string>>;
    readonly detailPending: string;
    readonly detailInvitedEmailed: string;
    readonly detailInvitedLink: string;
    readonly detailAlreadyGuest: (email: string) => string;
    readonly detailFailed: (email: string) => string;
    readonly detailExpired: string;
    readonly linkIntro: string;
    readonly openLink: string;
    readonly cancel: string;
    readonly summaries: Readonly<Record<RequestStatus, string>>;
  };
  /** Adding the invited guest to a team (its Microsoft 365 group). */
  readonly teams: {
    readonly added: (guest: string, team: string) => string;
    readonly alreadyMember: (guest: string, team: string) => string;
    readonly failed: (guest: string, team: string, why: string) => string;
    readonly reasons: Readonly<Record<TeamMembershipFailure, string>>;
    /** Said in the team when `request` was typed there: the form went to the personal chat. */
    readonly formSentPrivately: string;
  };
  readonly list: {
    readonly mineTitle: string;
    readonly mineEmpty: string;
    readonly noMore: string;
    readonly more: string;
    readonly line: (id: string, requester: string, when: string) => string;
  };
  readonly messages: {
    readonly notOurTenant: string;
    readonly noIdentity: string;
    readonly notUnderstood: string;
    readonly somethingWrong: string;
    readonly somethingWrongNothingChanged: string;
    /** A card action not finished within its budget (storage or Teams not answering). */
    readonly notInTimeNothingChanged: string;
    readonly cardOutdated: string;
    readonly actionUnsupported: string;
    readonly invalidRequestId: string;
    readonly noSuchRequest: (id: string) => string;
    readonly notApprover: string;
    readonly personalChatOnly: string;
    readonly pendingForApprovers: string;
    readonly nothingPending: string;
    readonly pendingCount: (count: number, more: boolean) => string;
    readonly reminder: (requester: string, email: string, id: string, when: string) => string;
    readonly failedForApprover: (email: string, id: string, why: string) => string;
  };
}
