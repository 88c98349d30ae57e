import type { FieldErrors, RawRequestInput } from '../../domain/validation/requestInput';
import { renderCard, type AdaptiveCard } from '../render';
import { plainText } from '../plainText';

/** The request form, empty or filled with what was entered and a problem next to each field. */
export function requestFormCard(entered: RawRequestInput = {}, errors: FieldErrors = {}, formError = ''): AdaptiveCard {
  const problem = (field: keyof FieldErrors): string => plainText(errors[field]);
  const count = Object.keys(errors).length;
  return renderCard('requestForm', {
    formError: formError ? plainText(formError) : count > 0 ? 'Please fix the fields marked below. Nothing was sent yet.' : '',
    // Input values are not rendered as markdown, so they are kept exactly as typed.
    email: entered.email ?? '',
    emailError: problem('email'),
    displayName: entered.displayName ?? '',
    displayNameError: problem('displayName'),
    justification: entered.justification ?? '',
    justificationError: problem('justification'),
    message: entered.message ?? '',
    messageError: problem('message'),
    sendInvitationMessage: entered.sendInvitationMessage === 'true' ? 'true' : 'false',
    sendInvitationMessageError: problem('sendInvitationMessage'),
  });
}
