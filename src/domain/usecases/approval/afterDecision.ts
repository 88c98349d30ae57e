/**
 * What follows a decision (or an approver's retry of a failed invitation), off the invoke's
 * critical path (Teams gives an invoke ~15 s; Graph can take seconds): cards updated, the requester
 * told, and on approval the invitation created.
 *
 * Each card is updated when what it shows changes, not at every step (docs/protocol.md §3):
 * - the approval card the invoke answered is that answer already: not updated through the connector;
 * - the other approvers' cards once, now ("Approved by … on …", true for good); not again when the
 *   invitation is made (their refresh shows Invited when viewed); all of them again only on Failed;
 * - the requester's card once, to the final state (Invited / Failed, inviteGuest.ts), unless the
 *   invitation step does not finish now (Graph down or throttled, or another holder at work): then
 *   "approved, creating the invitation…" at once, and the final state when the sweep finishes.
 */
import type { GuestRequest } from '../../guestRequest';
import type { DecisionFollowUp } from './decideRequest';
import { deliverOutcome } from '../outbox/deliverOutcome';
import { inviteGuest } from '../outbox/inviteGuest';
import { refreshRequesterCard } from '../request/refreshRequesterCard';
import type { Workflow } from '../workflow';
import { type CardsShown, refreshApprovalCards } from './refreshApprovalCards';

/** `answered`: the card the invoke answered; `followUp`: what the decision's read and write leave (each saves a call). */
export async function afterDecision(
  wf: Workflow,
  request: GuestRequest,
  context: { readonly answered?: CardsShown['answered']; readonly followUp?: DecisionFollowUp } = {},
): Promise<void> {
  const { followUp } = context;
  const shown: CardsShown = { answered: context.answered, messages: followUp?.approvalMessages };
  if (request.status !== 'Approved') return deliverOutcome(wf, request, shown);
  // The cards and the invitation start together: Graph (the slow part of time-to-link) does not wait
  // for Teams. Only a Failed outcome updates these cards again, and waits for them first, so that
  // "approved by …" never lands on top of it.
  const cards = refreshApprovalCards(wf, request, shown);
  const step = await inviteGuest(wf, request.id, { cardsBefore: cards, claim: followUp?.invitation, known: followUp?.stored });
  if (step === 'retryLater' || step === 'busy') await showStillInviting(wf, request);
  await cards;
}

/** The requester's card while the invitation waits for the sweep: as stored now, if still Approved. */
async function showStillInviting(wf: Workflow, decided: GuestRequest): Promise<void> {
  // Unreadable: the decided version (Approved) is what there is to show.
  const current = await wf.store.get(decided.id).then(
    (stored) => stored?.value,
    () => decided,
  );
  // Finished meanwhile (whoever finished it updates the card) or gone: nothing to show here.
  if (current?.status === 'Approved') await refreshRequesterCard(wf, current);
}
