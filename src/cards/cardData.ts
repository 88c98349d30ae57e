/** The data each card template binds to: one type per template in cards/. `t` holds the words. */
import type { Strings } from './i18n/strings';

export interface HelpCardData {
  readonly t: Strings;
  readonly title: string;
  /** Approver commands are listed only to approvers. */
  readonly isApprover: boolean;
}

export interface RequestFormCardData {
  readonly t: Strings;
  readonly formError: string;
  readonly email: string;
  readonly emailError: string;
  /** The server's email rules as a regex, so the client flags a malformed address before sending. */
  readonly emailPattern: string;
  readonly displayName: string;
  readonly displayNameError: string;
  readonly justification: string;
  readonly justificationError: string;
  readonly message: string;
  readonly messageError: string;
  readonly sendInvitationMessage: 'true' | 'false';
  readonly sendInvitationMessageError: string;
  readonly ccEmail: string;
  readonly ccEmailError: string;
  readonly messageLanguage: string;
  readonly messageLanguageError: string;
  readonly languages: ReadonlyArray<{ readonly title: string; readonly value: string }>;
  /** The teams offered (requester and bot both members); the choice set is left out when none. */
  readonly hasTeams: boolean;
  readonly teams: ReadonlyArray<{ readonly name: string; readonly groupId: string }>;
  readonly teamGroupId: string;
  readonly teamGroupIdError: string;
  /** Member invitations are on: the form offers the user type (Guest or Member). */
  readonly offerUserType: boolean;
  readonly userType: 'Guest' | 'Member';
  readonly userTypeError: string;
  /** The form's one-time token, in the submit action's data: the same form submitted twice is one request. */
  readonly submissionId: string;
}

export type StatusColor = 'Default' | 'Good' | 'Warning' | 'Attention' | 'Accent';

export interface ApprovalCardData {
  readonly t: Strings;
  /** A Member invitation: the warning line on top and who may decide it. */
  readonly memberInvitation: boolean;
  readonly userTypeText: string;
  readonly requestId: string;
  readonly statusText: string;
  readonly statusColor: StatusColor;
  readonly decisionReason: string;
  readonly existingUser: string;
  readonly guestEmail: string;
  readonly guestName: string;
  readonly requesterName: string;
  readonly createdAt: string;
  readonly justification: string;
  readonly guestMessage: string;
  readonly ccEmail: string;
  readonly messageLanguage: string;
  /** The team the guest will be added to, '' for none. */
  readonly teamName: string;
  readonly feedback: string;
  readonly canDecide: boolean;
  readonly canRetry: boolean;
}

export interface RequestStatusCardData {
  readonly t: Strings;
  readonly title: string;
  readonly requestId: string;
  readonly statusText: string;
  readonly statusColor: StatusColor;
  readonly detail: string;
  readonly guestEmail: string;
  readonly guestName: string;
  readonly createdAt: string;
  /** Text to copy (a TextRun: no markdown, so Teams does not turn it into a link to click). */
  readonly redeemUrl: string;
  readonly linkIntro: string;
  readonly canCancel: boolean;
  readonly teamName: string;
  /** How adding the guest to the team went, '' before that step. */
  readonly teamResult: string;
  readonly teamResultColor: StatusColor;
  /** '' for a Guest invitation (as always), the words for Member. */
  readonly userTypeText: string;
}

export interface RequestListItem {
  readonly requestId: string;
  /** '' when the requester gave none. */
  readonly guestName: string;
  readonly guestEmail: string;
  readonly statusText: string;
  readonly statusColor: StatusColor;
  readonly line: string;
  readonly canCancel: boolean;
}

export interface RequestListCardData {
  readonly t: Strings;
  readonly emptyText: string;
  readonly items: readonly RequestListItem[];
  readonly next: string;
}

/** The last card of a paged message: what follows, and the button that shows it (none once pressed). */
export interface MoreCardData {
  readonly t: Strings;
  readonly text: string;
  readonly verb: string;
  /** Opaque; '' for no button. */
  readonly cursor: string;
}

export interface CardDataMap {
  help: HelpCardData;
  requestForm: RequestFormCardData;
  approval: ApprovalCardData;
  requestStatus: RequestStatusCardData;
  requestList: RequestListCardData;
  more: MoreCardData;
}
