import { approvalCard } from '../../cards/views/approvalView';
import { pendingRequests } from '../../domain/usecases/queries';
import type { CommandHandler } from '../handler';

/** Approvers only: every pending request as its own approval card, oldest first. */
export const pendingCommand: CommandHandler = async ({ wf, turn, t }) => {
  const result = await pendingRequests(wf, turn.user.id);
  if (result.kind === 'notApprover') return { text: t.messages.pendingForApprovers };
  const { items, next } = result.page;
  if (items.length === 0) return { text: t.messages.nothingPending };
  return { text: t.messages.pendingCount(items.length, Boolean(next)), cards: items.map((r) => approvalCard(t, r)) };
};
