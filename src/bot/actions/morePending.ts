import { renderCard } from '../../cards/render';
import { pendingPage } from '../commands/pending';
import type { ActionHandler } from '../handler';
import { stringFrom } from '../handler';

/**
 * "Show more" under a `pending` page: the next page comes as a new message (an invoke answer holds
 * one card, a page holds several) and the pressed card loses its button. The cursor is opaque and
 * only ever continues the pending list; pendingPage checks again that the caller is an approver.
 */
export const morePending: ActionHandler = async (ctx) => {
  const { t } = ctx;
  const page = await pendingPage(ctx, stringFrom(ctx.data, 'cursor'));
  if (!page.cards?.length) return { text: page.text ?? t.messages.nothingPending };
  return { card: renderCard('more', { t, text: t.list.pendingShownBelow, verb: '', cursor: '' }), followUp: page };
};
