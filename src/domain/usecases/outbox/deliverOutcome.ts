/**
 * Tells everyone what became of a decided request that leaves no outbox work behind (Denied,
 * Expired, Cancelled): every card (approvers' and the requester's, once each; not the approval card
 * the deciding invoke answered) shows the current state, and the requester hears the
 * outcome once — `requesterNotifiedAt` (or `requesterUnreachable`) keeps a re-run from telling them
 * twice, and the sweep (redeliverOutcomes) re-runs it for messages that did not go out.
 * Invited and Failed are told by the outbox step itself (inviteGuest).
 */
import type { GuestRequest } from '../../guestRequest';
import { awaitsTelling } from '../../lifecycle/workLeft';
import type { CardsShown } from '../approval/refreshApprovalCards';
import { updateRequest } from '../conditionalUpdate';
import { showCurrentState } from '../showCurrentState';
import { tellRequester, toldFields } from './tellRequester';
import type { Workflow } from '../workflow';

/** Outcomes the requester hears about here (they cancelled themselves: nothing to tell). */
export { TOLD_AFTER as TOLD_HERE, awaitsTelling } from '../../lifecycle/workLeft';

export async function deliverOutcome(wf: Workflow, request: GuestRequest, shown: CardsShown = {}): Promise<void> {
  await showCurrentState(wf, request, shown);
  if (!awaitsTelling(request)) return;
  const told = await tellRequester(wf, request);
  if (told.kind === 'retryLater') return;
  await updateRequest(wf, request.id, (current) =>
    current.status === request.status && awaitsTelling(current)
      ? { write: { ...current, ...toldFields(wf, told) }, result: undefined }
      : { result: undefined },
  );
}
