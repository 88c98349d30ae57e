/**
 * The domain policy applied to everything Microsoft Graph would receive: the guest's address and
 * the optional copy (cc). It runs right before every POST /invitations, with the policy in force
 * at that moment (the policy may have changed since submit or decision), and at submit so the form
 * can show each problem next to its own field.
 */
import type { GuestDetails } from '../guestRequest';
import { type Problem, problem } from '../problems';
import { checkEmail } from '../validation/email';
import { checkDomainPolicy, type DomainPolicy } from './domainPolicy';

/** The form fields (and Graph parameters) that carry an address. */
export type AddressField = 'email' | 'ccEmail';

export interface AddressRefusal {
  readonly field: AddressField;
  readonly address: string;
  /** policy.organisation / policy.blocked / policy.notAllowed / policy.unchecked, with `recipient` and `address`. */
  readonly problem: Problem;
}

export type GateCheck = { ok: true } | { ok: false; refusals: readonly AddressRefusal[] };

/** Every address Graph would receive for these guest details, checked against `policy`; guest first. */
export function checkInvitationAddresses(policy: DomainPolicy, guest: Pick<GuestDetails, 'email' | 'ccEmail'>): GateCheck {
  const refusals: AddressRefusal[] = [];
  const addresses: Array<[AddressField, string | undefined]> = [
    ['email', guest.email],
    ['ccEmail', guest.ccEmail],
  ];
  for (const [field, address] of addresses) {
    if (address === undefined || address === '') continue;
    const refused = addressProblem(policy, field, address);
    if (refused) refusals.push({ field, address, problem: refused });
  }
  return refusals.length === 0 ? { ok: true } : { ok: false, refusals };
}

function addressProblem(policy: DomainPolicy, field: AddressField, address: string): Problem | undefined {
  const named = { recipient: field, address };
  // Fail closed: a stored address that is no longer a well-formed ASCII address (a trailing dot,
  // look-alike letters) cannot be matched against the policy reliably, so it is not sent.
  const parsed = checkEmail(address);
  if (!parsed.ok) return problem('policy.unchecked', named);
  const verdict = checkDomainPolicy(policy, parsed.domain);
  return verdict.ok ? undefined : problem(verdict.problem.code, { ...verdict.problem.params, ...named });
}
