/**
 * An employee submits the request form. Valid input is stored as Pending; invalid input changes
 * nothing and comes back with a problem per field.
 */
import type { AuditEntry, ChatAddress, GuestRequest, Person } from '../guestRequest';
import { checkDomainPolicy } from '../policy/domainPolicy';
import { type Problem, problem } from '../problems';
import { checkEmail } from '../validation/email';
import { type FieldErrors, type RawRequestInput, stripControlCharacters, validateRequestInput } from '../validation/requestInput';
import { findTeam, teamsForRequester } from './teamChoices';
import type { Workflow } from './workflow';

export type SubmitResult =
  | { kind: 'invalid'; errors: FieldErrors; entered: RawRequestInput }
  | { kind: 'overLimit'; problem: Problem; entered: RawRequestInput }
  | { kind: 'submitted'; request: GuestRequest };

export async function submitRequest(
  wf: Workflow,
  input: { raw: RawRequestInput; requester: Person; requesterAddress: ChatAddress; requesterLocale?: string },
): Promise<SubmitResult> {
  const checked = validateRequestInput(input.raw);
  if (!checked.ok) return { kind: 'invalid', errors: withPolicyProblem(wf, checked.errors, input.raw), entered: input.raw };
  const policy = checkDomainPolicy(wf.policy, checked.value.domain);
  // The team must be one this requester is offered: a forged group id is refused, nothing stored.
  const team = checked.value.teamGroupId ? findTeam(await teamsForRequester(wf, input.requester.id), checked.value.teamGroupId) : undefined;
  const teamProblem = checked.value.teamGroupId && !team ? problem('teamGroupId.notOffered') : undefined;
  if (!policy.ok || teamProblem) {
    return { kind: 'invalid', errors: { ...(policy.ok ? {} : { email: policy.problem }), ...(teamProblem ? { teamGroupId: teamProblem } : {}) }, entered: input.raw };
  }
  const overLimit = await requesterLimitProblem(wf, input.requester.id);
  if (overLimit) return { kind: 'overLimit', problem: overLimit, entered: input.raw };

  const now = wf.clock.now().toISOString();
  const { email, displayName, justification, message, sendInvitationMessage, ccEmail, messageLanguage } = checked.value;
  const request: GuestRequest = {
    id: wf.ids.newRequestId(),
    status: 'Pending',
    guest: { email, displayName, message, sendInvitationMessage, ccEmail, messageLanguage },
    justification,
    requester: input.requester,
    requesterAddress: input.requesterAddress,
    requesterLocale: wellFormedLocale(input.requesterLocale),
    createdAt: now,
    updatedAt: now,
    ...(team ? { team } : {}),
  };
  // Stored with its first audit entry, in one transaction.
  const submitted: AuditEntry = { requestId: request.id, at: now, actor: input.requester, action: 'submitted', to: 'Pending', ...(team ? { detail: `team ${team.groupId}` } : {}) };
  const saved = await wf.store.create(request, { audit: submitted });
  wf.log.info({ requestId: request.id, guestDomain: checked.value.domain }, 'request submitted');
  return { kind: 'submitted', request: saved.value };
}

/**
 * Another field is wrong, but the address is well-formed: say now if its domain is refused too, so
 * the requester fixes everything in one round.
 */
function withPolicyProblem(wf: Workflow, errors: FieldErrors, raw: RawRequestInput): FieldErrors {
  if (errors.email) return errors;
  const email = checkEmail(stripControlCharacters(raw.email ?? ''));
  const policy = email.ok ? checkDomainPolicy(wf.policy, email.domain) : undefined;
  return policy && !policy.ok ? { ...errors, email: policy.problem } : errors;
}

/** A BCP 47 tag such as "de-DE"; anything else is dropped (it ends up in Graph's messageLanguage). */
function wellFormedLocale(locale: string | undefined): string | undefined {
  return locale && /^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8}){0,3}$/.test(locale) ? locale : undefined;
}

/** How far back the limits look: newest requests first, a bounded number of reads. */
const LIMIT_SCAN = 100;
const DAY_MS = 24 * 3_600_000;

/**
 * Per-requester limits (MAX_PENDING_PER_REQUESTER, MAX_REQUESTS_PER_DAY): one person cannot flood
 * the approvers. Reads the requester's own index, newest first, never all requests, and stops as
 * soon as a limit is reached.
 */
async function requesterLimitProblem(wf: Workflow, requesterId: string): Promise<Problem | undefined> {
  const { maxPending = 0, maxPerDay = 0 } = wf.limits ?? {};
  if (!maxPending && !maxPerDay) return undefined;
  const dayAgo = wf.clock.now().getTime() - DAY_MS;
  let pending = 0;
  let lastDay = 0;
  let seen = 0;
  let cursor: string | undefined;
  do {
    // Small pages: most people have a handful of requests, and each listed one is a read.
    const page = await wf.store.listByRequester(requesterId, 20, cursor);
    for (const request of page.items) {
      if (request.status === 'Pending') pending++;
      if (Date.parse(request.createdAt) >= dayAgo) lastDay++;
      if (maxPending && pending >= maxPending) return problem('limits.pending', { max: maxPending });
      if (maxPerDay && lastDay >= maxPerDay) return problem('limits.daily', { max: maxPerDay });
    }
    seen += page.items.length;
    cursor = page.next;
  } while (cursor && seen < LIMIT_SCAN);
  return undefined;
}
