/**
 * Checks a POST /invitations body the way Graph does: OData type checks first (unknown
 * properties, wrong JSON types), then the invitation manager's own rules. Returns the first
 * problem as Graph words it, or the normalised invitation.
 */
import { isValidInvitationEmail } from './emailAddress';

export interface ValidInvitation {
  readonly invitedUserEmailAddress: string;
  readonly invitedUserDisplayName: string | null;
  readonly inviteRedirectUrl: string;
  readonly sendInvitationMessage: boolean;
  readonly invitedUserType: 'Guest' | 'Member';
  readonly resetRedemption: boolean;
  readonly messageInfo: {
    readonly messageLanguage: string | null;
    readonly customizedMessageBody: string | null;
    readonly ccRecipients: ReadonlyArray<{ readonly emailAddress: { readonly name: string | null; readonly address: string | null } }>;
  };
  readonly sponsorIds: readonly string[];
}

export type InvitationCheck =
  { readonly ok: true; readonly invitation: ValidInvitation } | { readonly ok: false; readonly code: string; readonly message: string };

const KNOWN_PROPERTIES = new Set([
  '@odata.type',
  'invitedUserEmailAddress',
  'invitedUserDisplayName',
  'inviteRedirectUrl',
  'sendInvitationMessage',
  'invitedUserMessageInfo',
  'invitedUserType',
  'invitedUserSponsors',
  'invitedUser',
  'resetRedemption',
]);
const KNOWN_MESSAGE_INFO_PROPERTIES = new Set(['@odata.type', 'messageLanguage', 'customizedMessageBody', 'ccRecipients']);

/** Thrown inside the checker and turned into the InvitationCheck failure; keeps the checks linear. */
class Invalid extends Error {
  constructor(
    message: string,
    readonly code = 'BadRequest',
  ) {
    super(message);
  }
}

export function checkInvitation(body: unknown): InvitationCheck {
  try {
    return { ok: true, invitation: check(body) };
  } catch (error) {
    if (error instanceof Invalid) return { ok: false, code: error.code, message: error.message };
    throw error;
  }
}

function check(body: unknown): ValidInvitation {
  if (!isObject(body)) throw new Invalid('The request body must be a JSON object representing a microsoft.graph.invitation.');
  for (const key of Object.keys(body)) {
    if (!KNOWN_PROPERTIES.has(key)) throw new Invalid(unknownProperty(key, 'invitation'));
  }

  const email = optionalString(body, 'invitedUserEmailAddress');
  const displayName = optionalString(body, 'invitedUserDisplayName');
  const redirectUrl = optionalString(body, 'inviteRedirectUrl');
  const sendInvitationMessage = optionalBoolean(body, 'sendInvitationMessage') ?? false;
  const resetRedemption = optionalBoolean(body, 'resetRedemption') ?? false;
  const userType = optionalString(body, 'invitedUserType');

  if (email === null || email.trim() === '') throw new Invalid('Required property invitedUserEmailAddress is missing or empty.');
  if (!isValidInvitationEmail(email)) {
    throw new Invalid(
      `The invited user email address is invalid. Provide one address without spaces or any of ~!#$%^&*()+=[]{}\\/|;:"<>?,.`,
    );
  }
  if (redirectUrl === null || redirectUrl.trim() === '') throw new Invalid('Required property inviteRedirectUrl is missing or empty.');
  if (!isAbsoluteHttpUrl(redirectUrl)) throw new Invalid('The inviteRedirectUrl is invalid: it must be an absolute http or https URL.');

  // Graph documents exactly two values, spelled "Guest" (the default) and "Member" (company
  // administrators only); the sandbox takes those spellings and nothing else, so a client that
  // sends anything looser is caught here rather than in production.
  if (userType !== null && userType !== 'Guest' && userType !== 'Member') {
    throw new Invalid(`Invalid value '${userType}' for invitedUserType. Supported values are Guest and Member.`);
  }
  const invitedUserType: 'Guest' | 'Member' = userType ?? 'Guest';

  return {
    invitedUserEmailAddress: email,
    invitedUserDisplayName: displayName,
    inviteRedirectUrl: redirectUrl,
    sendInvitationMessage,
    invitedUserType,
    resetRedemption,
    messageInfo: checkMessageInfo(body.invitedUserMessageInfo),
    sponsorIds: checkSponsors(body.invitedUserSponsors),
  };
}

function checkMessageInfo(value: unknown): ValidInvitation['messageInfo'] {
  if (value === undefined || value === null) return { messageLanguage: null, customizedMessageBody: null, ccRecipients: [] };
  if (!isObject(value)) throw new Invalid(wrongType('invitedUserMessageInfo', 'microsoft.graph.invitedUserMessageInfo'));
  for (const key of Object.keys(value)) {
    if (!KNOWN_MESSAGE_INFO_PROPERTIES.has(key)) throw new Invalid(unknownProperty(key, 'invitedUserMessageInfo'));
  }
  const messageLanguage = optionalString(value, 'messageLanguage');
  const customizedMessageBody = optionalString(value, 'customizedMessageBody');
  const cc = value.ccRecipients;
  const ccRecipients: Array<{ emailAddress: { name: string | null; address: string | null } }> = [];
  if (cc !== undefined && cc !== null) {
    if (!Array.isArray(cc)) throw new Invalid(wrongType('ccRecipients', 'Collection(microsoft.graph.recipient)'));
    if (cc.length > 1) throw new Invalid('Only one ccRecipient is supported in invitedUserMessageInfo.ccRecipients.');
    for (const recipient of cc) {
      if (!isObject(recipient) || !isObject(recipient.emailAddress))
        throw new Invalid(wrongType('ccRecipients', 'microsoft.graph.recipient'));
      const address = optionalString(recipient.emailAddress, 'address');
      const name = optionalString(recipient.emailAddress, 'name');
      if (address === null || !isValidInvitationEmail(address)) throw new Invalid('The ccRecipients email address is invalid.');
      ccRecipients.push({ emailAddress: { name, address } });
    }
  }
  return { messageLanguage, customizedMessageBody, ccRecipients };
}

function checkSponsors(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new Invalid(wrongType('invitedUserSponsors', 'Collection(microsoft.graph.directoryObject)'));
  return value.map((sponsor) => {
    if (!isObject(sponsor) || typeof sponsor.id !== 'string' || sponsor.id.trim() === '') {
      throw new Invalid('Each entry of invitedUserSponsors must be a directoryObject with a non-empty id.');
    }
    return sponsor.id;
  });
}

function optionalString(object: Record<string, unknown>, key: string): string | null {
  const value = object[key];
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') throw new Invalid(wrongType(key, 'Edm.String'));
  return value;
}

function optionalBoolean(object: Record<string, unknown>, key: string): boolean | null {
  const value = object[key];
  if (value === undefined || value === null) return null;
  if (typeof value !== 'boolean') throw new Invalid(wrongType(key, 'Edm.Boolean'));
  return value;
}

function isAbsoluteHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.hostname !== '';
  } catch {
    return false;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function unknownProperty(key: string, type: string): string {
  return `The property '${key}' does not exist on type 'microsoft.graph.${type}'. Make sure to only use property names that are defined by the type.`;
}

function wrongType(key: string, expected: string): string {
  return `Invalid value for property '${key}': expected ${expected}.`;
}
