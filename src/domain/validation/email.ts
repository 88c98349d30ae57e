/**
 * Email address checks: the RFC-style shape `local@domain.tld` narrowed by the characters Microsoft
 * Graph refuses in invitedUserEmailAddress (CONTRACT §3), so a request that passes here is one
 * Graph will accept.
 */

export const MAX_EMAIL_LENGTH = 254;
const MAX_LOCAL_LENGTH = 64;
/** The characters Graph rejects in an invited address (plus whitespace). */
const GRAPH_REJECTED = /[\s~!#$%^&*()+=[\]{}\\/|;:"<>?,]/;
const LOCAL_PART = /^[^.@\s](?:[^@\s]*[^.@\s])?$/;
const DOMAIN_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const TLD = /^[a-z]{2,63}$|^xn--[a-z0-9-]{1,59}$/;

export type EmailCheck = { ok: true; email: string; domain: string } | { ok: false; problem: string };

export function checkEmail(input: string): EmailCheck {
  const value = input.trim();
  if (value.length === 0) return { ok: false, problem: "Enter the guest's email address." };
  if (value.length > MAX_EMAIL_LENGTH) return { ok: false, problem: `The email address is longer than ${MAX_EMAIL_LENGTH} characters.` };
  if (GRAPH_REJECTED.test(value)) {
    return { ok: false, problem: 'Enter one email address (like name@example.com) without spaces or special characters such as , ; < > ( ).' };
  }
  const at = value.lastIndexOf('@');
  if (at <= 0 || value.indexOf('@') !== at) return { ok: false, problem: 'Enter one email address in the form name@example.com.' };
  const local = value.slice(0, at);
  const domain = value.slice(at + 1).toLowerCase();
  if (local.length > MAX_LOCAL_LENGTH || !LOCAL_PART.test(local) || local.includes('..')) {
    return { ok: false, problem: 'The part before @ is not a valid mailbox name.' };
  }
  const labels = domain.split('.');
  const tld = labels[labels.length - 1] ?? '';
  if (labels.length < 2 || !labels.every((label) => DOMAIN_LABEL.test(label)) || !TLD.test(tld)) {
    return { ok: false, problem: 'The part after @ is not a valid domain (like example.com).' };
  }
  return { ok: true, email: `${local}@${domain}`, domain };
}
