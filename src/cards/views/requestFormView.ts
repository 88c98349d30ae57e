import type { TeamRef } from '../../domain/guestRequest';
import { EMAIL_PATTERN } from '../../domain/validation/email';
import { INVITATION_LANGUAGES, type FieldErrors, type RawRequestInput } from '../../domain/validation/requestInput';
import { describeProblem } from '../i18n';
import type { Strings } from '../i18n/strings';
import { plainText } from '../plainText';
import { renderCard, type AdaptiveCard } from '../render';
import { teamChoiceTitle } from './teamMembershipText';

/** The teams the form offers, and the one chosen when nothing was entered (the team it was asked from). */
export interface TeamChoices {
  readonly offered: readonly TeamRef[];
  readonly preselected?: string;
}

/**
 * The request form, empty or filled with what was entered and a problem next to each field;
 * `formProblem` is one that concerns the whole request (e.g. a limit reached). `submissionId` is the
 * form's one-time token, sent back with the submit so that submitting it twice makes one request.
 */
export function requestFormCard(
  t: Strings,
  entered: RawRequestInput = {},
  errors: FieldErrors = {},
  formProblem = '',
  locale?: string,
  teams: TeamChoices = { offered: [] },
  submissionId = '',
  /** Member invitations are on (MEMBER_APPROVER_IDS / _GROUP_ID): the form offers the user type. */
  offerUserType = false,
): AdaptiveCard {
  const problemText = (field: keyof FieldErrors): string => {
    const found = errors[field];
    return found ? plainText(describeProblem(t, found)) : '';
  };
  return renderCard('requestForm', {
    t,
    formError: formProblem ? plainText(formProblem) : Object.keys(errors).length > 0 ? t.form.fixFields : '',
    // Input values are not rendered as markdown, so they are kept exactly as typed.
    email: entered.email ?? '',
    emailError: problemText('email'),
    emailPattern: EMAIL_PATTERN,
    displayName: entered.displayName ?? '',
    displayNameError: problemText('displayName'),
    justification: entered.justification ?? '',
    justificationError: problemText('justification'),
    message: entered.message ?? '',
    messageError: problemText('message'),
    sendInvitationMessage: entered.sendInvitationMessage === 'true' ? 'true' : 'false',
    sendInvitationMessageError: problemText('sendInvitationMessage'),
    ccEmail: entered.ccEmail ?? '',
    ccEmailError: problemText('ccEmail'),
    // The requester's own language is the likeliest choice; they change it for a guest who reads another.
    messageLanguage:
      entered.messageLanguage && INVITATION_LANGUAGES.includes(entered.messageLanguage) ? entered.messageLanguage : defaultLanguage(locale),
    messageLanguageError: problemText('messageLanguage'),
    languages: INVITATION_LANGUAGES.map((value) => ({ value, title: t.form.languages[value] ?? value })),
    hasTeams: teams.offered.length > 0,
    teams: teams.offered.map((team) => ({ name: teamChoiceTitle(team.name), groupId: team.groupId })),
    teamGroupId: chosenTeam(teams, entered.teamGroupId),
    teamGroupIdError: problemText('teamGroupId'),
    offerUserType,
    userType: entered.userType === 'Member' ? 'Member' : 'Guest',
    userTypeError: offerUserType ? problemText('userType') : '',
    submissionId,
  });
}

/** The offered language closest to the requester's locale ("de-AT" → "de-DE"), else English. */
function defaultLanguage(locale: string | undefined): string {
  const wanted = (locale ?? '').toLowerCase();
  return (
    INVITATION_LANGUAGES.find((l) => l.toLowerCase() === wanted) ??
    INVITATION_LANGUAGES.find((l) => l.slice(0, 2).toLowerCase() === wanted.slice(0, 2)) ??
    'en-US'
  );
}

/** Only an offered team is ever shown as chosen; an unknown id from the input is dropped. */
function chosenTeam(teams: TeamChoices, entered: string | undefined): string {
  const wanted = (entered ?? teams.preselected ?? '').toLowerCase();
  return teams.offered.find((team) => team.groupId.toLowerCase() === wanted)?.groupId ?? '';
}
