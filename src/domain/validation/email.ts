/**
 * Email address checks: the RFC-style shape `local@domain.tld` narrowed by the characters Microsoft
 * Graph refuses in invitedUserEmailAddress (docs/protocol.md §3), so a request that passes here is one
 * Graph will accept.
 */

import { type Problem, problem } from '../problems';

export const MAX_EMAIL_LENGTH = 254;
const MAX_LOCAL_LENGTH = 64;
/** The characters Graph rejects in an invited address (plus whitespace). */
const GRAPH_REJECTED = /[\s~!#$%^&*()+=[\]{}\\/|;:"<>?,]/;
const LOCAL_PART = /^[^.@\s](?:[^@\s]*[^.@\s])?$/;
const DOMAIN_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const TLD = /^[a-z]{2,63}$|^xn--[a-z0-9-]{1,59}$/;

/**
 * checkEmail's rules as one regular expression, for the form to flag a malformed address before it
 * is sent (Adaptive Cards Input.Text `regex`). The server still checks every submission with
 * checkEmail: this only saves a round trip. Surrounding spaces are allowed (checkEmail trims).
 */
const ALLOWED = String.raw`[^\s~!#$%^&*()+=\[\]{}\\/|;:"<>?,@]`;
const ALLOWED_NO_DOT = String.raw`[^\s~!#$%^&*()+=\[\]{}\\/|;:"<>?,@.]`;
const LABEL = '[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?';
export const EMAIL_PATTERN =
  String.raw`^\s*(?=\S{1,${MAX_EMAIL_LENGTH}}\s*$)(?!\S*\.\.)` +
  `${ALLOWED_NO_DOT}(?:${ALLOWED}{0,${MAX_LOCAL_LENGTH - 2}}${ALLOWED_NO_DOT})?` +
  String.raw`@(?:${LABEL}\.)+(?:[A-Za-z]{2,63}|[Xx][Nn]--[A-Za-z0-9-]{1,59})\s*$`;

export type EmailCheck = { ok: true; email: string; domain: string } | { ok: false; problem: Problem };

export function checkEmail(input: string): EmailCheck {
  const value = input.trim();
  if (value.length === 0) return { ok: false, problem: problem('email.missing') };
  if (value.length > MAX_EMAIL_LENGTH) return { ok: false, problem: problem('email.tooLong', { max: MAX_EMAIL_LENGTH }) };
  if (GRAPH_REJECTED.test(value)) return { ok: false, problem: problem('email.characters') };
  const at = value.lastIndexOf('@');
  if (at <= 0 || value.indexOf('@') !== at) return { ok: false, problem: problem('email.shape') };
  const local = value.slice(0, at);
  const domain = value.slice(at + 1).toLowerCase();
  if (local.length > MAX_LOCAL_LENGTH || !LOCAL_PART.test(local) || local.includes('..')) {
    return { ok: false, problem: problem('email.localPart') };
  }
  const labels = domain.split('.');
  const tld = labels[labels.length - 1] ?? '';
  if (labels.length < 2 || !labels.every((label) => DOMAIN_LABEL.test(label)) || !TLD.test(tld)) {
    return { ok: false, problem: problem('email.domain') };
  }
  return { ok: true, email: `${local}@${domain}`, domain };
}
