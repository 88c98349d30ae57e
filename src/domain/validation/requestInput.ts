/**
 * Validation of the request form. Input is hostile: any field may be missing, of the wrong JSON
 * type, huge or full of markup. The result either carries clean values or, per field, what is wrong
 * together with the values as entered (so the form can be shown again with them kept).
 */
import { type Problem, problem } from '../problems';
import { checkEmail } from './email';

/**
 * Languages offered for Microsoft's standard invitation email (Graph's messageLanguage; ignored by
 * Graph when a personal message is given, which then replaces the standard text).
 */
export const INVITATION_LANGUAGES: readonly string[] = ['en-US', 'de-DE', 'fr-FR', 'es-ES', 'it-IT', 'nl-NL', 'pt-BR', 'ja-JP', 'zh-CN'];

export const LIMITS = {
  displayName: 256,
  justification: 1000,
  message: 1000,
} as const;

/** What the form submitted, as strings; anything that was not a string becomes undefined. */
export interface RawRequestInput {
  readonly email?: string;
  readonly displayName?: string;
  readonly justification?: string;
  readonly message?: string;
  readonly sendInvitationMessage?: string;
  /** One more recipient of Microsoft's invitation email (Graph allows one). */
  readonly ccEmail?: string;
  /** Language of Microsoft's standard invitation email, one of INVITATION_LANGUAGES. */
  readonly messageLanguage?: string;
  /** The group id of the team to add the guest to; empty = none. Checked against the offered teams at submit. */
  readonly teamGroupId?: string;
  /** Graph's invitedUserType: "Guest" (the default) or "Member"; read only when member invitations are on. */
  readonly userType?: string;
}

export interface RequestInput {
  readonly email: string;
  readonly domain: string;
  readonly displayName?: string;
  readonly justification: string;
  readonly message?: string;
  readonly sendInvitationMessage: boolean;
  readonly ccEmail?: string;
  readonly messageLanguage?: string;
  /** Well-formed only: whether the requester may pick it is the use case's check. */
  readonly teamGroupId?: string;
  /** Present only for a Member invitation. */
  readonly userType?: 'Member';
}

export type FieldName = keyof RawRequestInput;
export type FieldErrors = Partial<Record<FieldName, Problem>>;

export type InputCheck = { ok: true; value: RequestInput } | { ok: false; errors: FieldErrors; entered: RawRequestInput };

/** Keeps only string fields of a card submission; everything else is treated as absent. */
export function pickRawInput(data: unknown): RawRequestInput {
  const source = typeof data === 'object' && data !== null ? (data as Record<string, unknown>) : {};
  const text = (key: FieldName): string | undefined => {
    const value = source[key];
    return typeof value === 'string' ? value : undefined;
  };
  return {
    email: text('email'),
    displayName: text('displayName'),
    justification: text('justification'),
    message: text('message'),
    sendInvitationMessage: text('sendInvitationMessage'),
    ccEmail: text('ccEmail'),
    messageLanguage: text('messageLanguage'),
    // Added later: present only when given, so inputs without a team look exactly as before.
    ...(text('teamGroupId') !== undefined ? { teamGroupId: text('teamGroupId') } : {}),
    ...(text('userType') !== undefined ? { userType: text('userType') } : {}),
  };
}

/** Entra object ids are GUIDs; anything else cannot name a team's group. */
const GROUP_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Removes control characters (except line breaks and tabs) that no person typed on purpose. */
export function stripControlCharacters(value: string): string {
  // eslint-disable-next-line no-control-regex
  return value.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2066-\u2069]/g, '');
}

function optionalText(value: string | undefined): string | undefined {
  const cleaned = stripControlCharacters(value ?? '').trim();
  return cleaned.length > 0 ? cleaned : undefined;
}

/**
 * The guest and cc addresses as validateRequestInput reads them, each only when it is well formed
 * (whatever else on the form is wrong): the policy checks them at submit alongside the other
 * field checks, so the form shows every problem at once.
 */
export function wellFormedAddresses(raw: RawRequestInput): { email?: string; ccEmail?: string } {
  const email = checkEmail(stripControlCharacters(raw.email ?? ''));
  const ccText = optionalText(raw.ccEmail);
  const cc = ccText ? checkEmail(ccText) : undefined;
  return { ...(email.ok ? { email: email.email } : {}), ...(cc?.ok ? { ccEmail: cc.email } : {}) };
}

export function validateRequestInput(raw: RawRequestInput): InputCheck {
  const errors: FieldErrors = {};

  const email = checkEmail(stripControlCharacters(raw.email ?? ''));
  if (!email.ok) errors.email = email.problem;

  const displayName = optionalText(raw.displayName);
  if (displayName && displayName.length > LIMITS.displayName) {
    errors.displayName = problem('displayName.tooLong', { max: LIMITS.displayName, length: displayName.length });
  }

  const justification = optionalText(raw.justification);
  if (!justification) errors.justification = problem('justification.missing');
  else if (justification.length > LIMITS.justification) {
    errors.justification = problem('justification.tooLong', { max: LIMITS.justification, length: justification.length });
  }

  const message = optionalText(raw.message);
  if (message && message.length > LIMITS.message) {
    errors.message = problem('message.tooLong', { max: LIMITS.message, length: message.length });
  }

  const send = raw.sendInvitationMessage;
  if (send !== undefined && send !== 'true' && send !== 'false' && send !== '') {
    errors.sendInvitationMessage = problem('sendInvitationMessage.invalid');
  }

  const ccText = optionalText(raw.ccEmail);
  const cc = ccText ? checkEmail(ccText) : undefined;
  if (cc && !cc.ok) errors.ccEmail = cc.problem;
  else if (cc?.ok && email.ok && cc.email.toLowerCase() === email.email.toLowerCase()) errors.ccEmail = problem('ccEmail.sameAsGuest');

  const language = optionalText(raw.messageLanguage);
  if (language && !INVITATION_LANGUAGES.includes(language)) errors.messageLanguage = problem('messageLanguage.unknown');

  const teamGroupId = optionalText(raw.teamGroupId);
  if (teamGroupId && !GROUP_ID.test(teamGroupId)) errors.teamGroupId = problem('teamGroupId.notOffered');

  // The form's two choices, spelled as Graph spells them; empty = the default, Guest.
  const userType = optionalText(raw.userType);
  if (userType !== undefined && userType !== 'Guest' && userType !== 'Member') errors.userType = problem('userType.unknown');

  if (!email.ok || Object.keys(errors).length > 0 || !justification) return { ok: false, errors, entered: raw };
  return {
    ok: true,
    value: {
      email: email.email,
      domain: email.domain,
      displayName,
      justification,
      message,
      sendInvitationMessage: send === 'true',
      ccEmail: cc?.ok ? cc.email : undefined,
      messageLanguage: language,
      ...(teamGroupId ? { teamGroupId } : {}),
      ...(userType === 'Member' ? { userType: 'Member' as const } : {}),
    },
  };
}
