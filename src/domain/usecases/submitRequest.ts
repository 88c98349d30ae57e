/**
 * An employee submits the request form. Valid input is stored as Pending; invalid input changes
 * nothing and comes back with a problem per field.
 */
import type { ChatAddress, GuestRequest, Person } from '../guestRequest';
import { checkDomainPolicy } from '../policy/domainPolicy';
import { type FieldErrors, type RawRequestInput, validateRequestInput } from '../validation/requestInput';
import { audit } from './audit';
import type { Workflow } from './workflow';

export type SubmitResult =
  | { kind: 'invalid'; errors: FieldErrors; entered: RawRequestInput }
  | { kind: 'submitted'; request: GuestRequest };

export async function submitRequest(
  wf: Workflow,
  input: { raw: RawRequestInput; requester: Person; requesterAddress: ChatAddress; requesterLocale?: string },
): Promise<SubmitResult> {
  const checked = validateRequestInput(input.raw);
  if (!checked.ok) return { kind: 'invalid', errors: checked.errors, entered: input.raw };
  const policy = checkDomainPolicy(wf.policy, checked.value.domain);
  if (!policy.ok) return { kind: 'invalid', errors: { email: policy.problem }, entered: input.raw };

  const now = wf.clock.now().toISOString();
  const { email, displayName, justification, message, sendInvitationMessage } = checked.value;
  const request: GuestRequest = {
    id: wf.ids.newRequestId(),
    status: 'Pending',
    guest: { email, displayName, message, sendInvitationMessage },
    justification,
    requester: input.requester,
    requesterAddress: input.requesterAddress,
    requesterLocale: wellFormedLocale(input.requesterLocale),
    createdAt: now,
    updatedAt: now,
  };
  const saved = await wf.store.create(request);
  wf.log.info({ requestId: request.id, guestDomain: checked.value.domain }, 'request submitted');
  await audit(wf, request.id, input.requester, 'submitted', { to: 'Pending' });
  return { kind: 'submitted', request: saved.value };
}

/** A BCP 47 tag such as "de-DE"; anything else is dropped (it ends up in Graph's messageLanguage). */
function wellFormedLocale(locale: string | undefined): string | undefined {
  return locale && /^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8}){0,3}$/.test(locale) ? locale : undefined;
}
