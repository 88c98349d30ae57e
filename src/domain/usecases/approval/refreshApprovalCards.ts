import type { ApprovalMessage, GuestRequest } from '../../guestRequest';
import { sameId } from '../../lifecycle/authorization';
import { errorText } from '../audit';
import type { Workflow } from '../workflow';

/**
 * The approval card an invoke's own answer has just redrawn: the one in the clicking approver's 1:1
 * chat that held the button (the invoke's replyToId). Universal Actions replace that card with the
 * answer, so it is not updated again through the connector (docs/protocol.md §3). A replyToId that
 * is not the id of this approver's own card changes nothing: every card is updated.
 */
export interface AnsweredCard {
  readonly approverId: string;
  readonly activityId: string;
}

export interface CardsShown {
  readonly answered?: AnsweredCard;
  /** The cards, when the caller read them with the request (saves a read). */
  readonly messages?: readonly ApprovalMessage[];
}

/** Whether `message` is the card the invoke answered (never a channel's shared card: others see it too). */
export function isAnsweredCard(message: ApprovalMessage, answered: AnsweredCard | undefined): boolean {
  return (
    answered !== undefined &&
    !message.channelId &&
    message.activityId === answered.activityId &&
    sameId(message.approverId, answered.approverId)
  );
}

/**
 * Shows the request's current state on every approver's card (one failure doesn't stop the rest),
 * but the one an invoke answered. Resolves with all the cards it found (the answered one included),
 * for callers with more to say to one of those approvers.
 */
export async function refreshApprovalCards(wf: Workflow, request: GuestRequest, shown: CardsShown = {}): Promise<ApprovalMessage[]> {
  const messages = shown.messages ? [...shown.messages] : await wf.store.listApprovalMessages(request.id);
  // The card a decision was clicked on shows it already while the request is in the state that
  // answer showed (Approved, Denied), whoever refreshes (a fan-out that raced the decision, say).
  const { decision } = request;
  const decided =
    decision?.answeredCardId && request.status === decision.outcome
      ? { approverId: decision.by.id, activityId: decision.answeredCardId }
      : undefined;
  await Promise.all(
    messages
      .filter((message) => !isAnsweredCard(message, shown.answered) && !isAnsweredCard(message, decided))
      .map(async (message) => {
        try {
          await wf.notifier.updateApprovalCard(message, request);
        } catch (err) {
          wf.log.warn({ requestId: request.id, approverId: message.approverId, err: errorText(err) }, 'approval card not updated');
        }
      }),
  );
  return messages;
}
