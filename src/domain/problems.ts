/**
 * What the domain says is wrong, as a code with parameters rather than a sentence: the words are
 * the presentation's business (src/cards/i18n), in the reader's language.
 */

export type ProblemCode =
  | 'email.missing'
  | 'email.tooLong'
  | 'email.characters'
  | 'email.shape'
  | 'email.localPart'
  | 'email.domain'
  | 'displayName.tooLong'
  | 'justification.missing'
  | 'justification.tooLong'
  | 'message.tooLong'
  | 'sendInvitationMessage.invalid'
  | 'ccEmail.sameAsGuest'
  | 'messageLanguage.unknown'
  | 'teamGroupId.notOffered'
  | 'userType.unknown'
  | 'policy.organisation'
  | 'policy.blocked'
  | 'policy.notAllowed'
  | 'policy.unchecked'
  | 'limits.pending'
  | 'limits.daily'
  | 'limits.busy'
  | 'deny.reasonMissing'
  | 'reason.tooLong'
  | 'approve.colleague'
  | 'cancel.notRequester'
  | 'cancel.notPending'
  | 'retry.notApprover'
  | 'retry.ownRequest'
  | 'retry.memberApproversOnly'
  | 'retry.notFailed';

export type ProblemParams = Readonly<Record<string, string | number>>;

export interface Problem {
  readonly code: ProblemCode;
  readonly params?: ProblemParams;
}

export function problem(code: ProblemCode, params?: ProblemParams): Problem {
  return params ? { code, params } : { code };
}
