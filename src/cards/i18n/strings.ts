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
  /** The reader's locale (canonical BCP 47), for dates through Intl; the language's default when unknown. */
  readonly locale: string;
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
    /** The user type choice (only when member invitations are on). */
    readonly userTypeLabel: string;
    readonly userTypeGuest: string;
    readonly userTypeMember: string;
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
    readonly userType: string;
  };
  /** Graph's invitedUserType values as the reader's words. */
  readonly userTypes: { readonly Guest: string; readonly Member: string };
  readonly approval: {
    readonly title: string;
    readonly waiting: string;
    /**
     * An approved request on an approver's card: true from the decision on (the card is not redrawn
     * when the invitation is made; its refresh shows that), so no "creating the invitation…" here.
     */
    readonly approved: (by: string, when: string) => string;
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
    /** The top line of every Member invitation's card: unmistakably not a guest. */
    readonly memberWarning: string;
    /** Who may decide a Member invitation (shown on its card, and to an approver who tried). */
    readonly memberApproversOnly: string;
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
    readonly detailAlreadyGuest: (email: string) => string;
    readonly detailFailed: (email: string) => string;
    readonly detailExpired: string;
    /** The one instruction above the redeem link; `guest` is the guest's name or address (plain). */
    readonly linkIntro: (guest: string) => string;
    /** On the live card: the link itself is in the link message (shown once). */
    readonly linkInMessage: (guest: string) => string;
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
    readonly line: (id: string, when: string) => string;
    /** On the last card of a `pending` page when more wait; its button shows the next page. */
    readonly pendingMore: string;
    /** Replaces that card once pressed: the next page follows as a new message. */
    readonly pendingShownBelow: string;
  };
  readonly messages: {
    readonly notOurTenant: string;
    readonly noIdentity: string;
    readonly notUnderstood: string;
    readonly somethingWrong: string;
    readonly somethingWrongNothingChanged: string;
    /** A card action not finished within its budget (storage or Teams not answering). */
    readonly notInTimeNothingChanged: string;
    /** A typed command that ran out of time (it changes nothing: a list, the form, help). */
    readonly commandNotInTime: string;
    readonly cardOutdated: string;
    readonly actionUnsupported: string;
    readonly invalidRequestId: string;
    readonly noSuchRequest: (id: string) => string;
    readonly notApprover: string;
    readonly personalChatOnly: string;
    /** Said in a channel or group chat when a list (guests' details) went to the sender's personal chat. */
    readonly sentPrivately: string;
    /** A card verb clicked in a channel or group chat whose answer would show a guest's details. */
    readonly privateChatOnly: string;
    /** An activity from a Bot Framework channel other than Teams (Direct Line, Web Chat…). */
    readonly teamsOnly: string;
    readonly pendingForApprovers: string;
    readonly nothingPending: string;
    readonly pendingCount: (count: number, more: boolean) => string;
    /** Said instead of a message Teams would refuse as too large (it should never be needed). */
    readonly tooLarge: string;
    readonly reminder: (requester: string, email: string, id: string, when: string) => string;
    readonly failedForApprover: (email: string, id: string, why: string) => string;
    /** To the requester: no approver can be reached in Teams; the request waits. */
    readonly approversUnreachable: (id: string) => string;
  };
}
