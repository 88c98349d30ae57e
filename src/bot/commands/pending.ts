import { CardFactory, MessageFactory } from 'botbuilder';
import type { Strings } from '../../cards/i18n/strings';
import type { AdaptiveCard } from '../../cards/render';
import { renderCard } from '../../cards/render';
import { approvalCard } from '../../cards/views/approvalView';
import { isMemberInvitation } from '../../domain/guestRequest';
import { pendingRequests } from '../../domain/usecases/queries';
import type { CommandContext, CommandHandler, CommandReply } from '../handler';
import { ENVELOPE_RESERVE_BYTES, MESSAGE_BUDGET_BYTES, messageBytes } from '../messageBudget';

export const MORE_PENDING_VERB = 'morePending';

/**
 * One page of what waits for approvers, oldest first, as approval cards with shortened texts. A
 * page ends at the store's page size or where the next card would take the message past the size
 * budget, whichever comes first; a last small card then offers the rest ("Show more", verb
 * morePending, with the store's opaque cursor). Everyone else is told the command is for approvers.
 */
export async function pendingPage(
  { wf, turn, t }: CommandContext,
  cursor?: string,
  budgetBytes = MESSAGE_BUDGET_BYTES,
): Promise<CommandReply> {
  const result = await pendingRequests(wf, turn.user.id, cursor);
  if (result.kind === 'notApprover') return { text: t.messages.pendingForApprovers };
  const { items, next } = result.page;
  if (items.length === 0) return { text: t.messages.nothingPending };
  // A Member invitation has buttons only for member approvers (the server refuses anyone else too).
  const cards = items.map((r) => approvalCard(t, r, '', { inList: true, readOnly: isMemberInvitation(r) && !result.memberApprover }));
  const budget = budgetBytes - ENVELOPE_RESERVE_BYTES;
  // Room for the words and the "more" card, which are only known once the page is cut.
  const reserve = messageBytes(moreCard(t, 'x'.repeat(1024))) + messageBytes(t.messages.pendingCount(items.length, true));
  let shown = 0;
  for (let size = messageBytes(message([], '')) + reserve; shown < cards.length; shown++) {
    size += messageBytes(CardFactory.adaptiveCard(cards[shown]!)) + 1;
    if (size > budget && shown > 0) break;
  }
  // Cut by size: the store's cursor for "after the ones shown" is that of a page that long.
  const after = shown < items.length ? (await wf.store.listByStatus('Pending', shown, cursor)).next : next;
  const page = cards.slice(0, shown);
  return { text: t.messages.pendingCount(shown, Boolean(after)), cards: after ? [...page, moreCard(t, after)] : page };
}

function moreCard(t: Strings, cursor: string): AdaptiveCard {
  return renderCard('more', { t, text: t.list.pendingMore, verb: MORE_PENDING_VERB, cursor });
}

function message(cards: readonly AdaptiveCard[], text: string) {
  return MessageFactory.list(
    cards.map((card) => CardFactory.adaptiveCard(card)),
    text,
  );
}

/** Approvers only: every pending request as its own approval card, oldest first, a page at a time. */
export const pendingCommand: CommandHandler = (ctx) => pendingPage(ctx);
