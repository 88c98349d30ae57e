/**
 * The address rules the invitation manager applies to invitedUserEmailAddress (and to cc
 * recipients): one address, no whitespace, none of the characters Graph rejects.
 */

/** The characters Graph refuses anywhere in an invited address. */
export const FORBIDDEN_EMAIL_CHARACTERS = '~!#$%^&*()+=[]{}\\/|;:"<>?,';

const MAX_EMAIL_LENGTH = 254;

export function isValidInvitationEmail(value: string): boolean {
  if (value.length === 0 || value.length > MAX_EMAIL_LENGTH) return false;
  if (/\s/.test(value)) return false;
  for (const ch of value) if (FORBIDDEN_EMAIL_CHARACTERS.includes(ch)) return false;
  const at = value.indexOf('@');
  // Exactly one "@": a second one means two addresses or a quoted local part, neither accepted.
  if (at <= 0 || at !== value.lastIndexOf('@')) return false;
  const local = value.slice(0, at);
  const domain = value.slice(at + 1);
  if (local.startsWith('.') || local.endsWith('.') || local.includes('..')) return false;
  const labels = domain.split('.');
  if (labels.length < 2) return false;
  return labels.every((label) => /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/.test(label));
}

/** Graph compares addresses case-insensitively; the sandbox keys everything on this form. */
export function normalizeEmail(value: string): string {
  return value.trim().toLowerCase();
}
