import { approvalCard } from '../../cards/views/approvalView';
import { pendingRequests } from '../../domain/usecases/queries';
import type { CommandHandler } from '../handler';

/** Approvers only: every pending request as its own approval card, oldest first. */
export const pendingCommand: CommandHandler = async ({ wf, turn }) => {
  const result = await pendingRequests(wf, turn.user.id);
  if (result.kind === 'notApprover') return { text: 'The "pending" command is for approvers. Type "my requests" to see your own requests.' };
  const { items, next } = result.page;
  if (items.length === 0) return { text: 'Nothing is waiting for a decision.' };
  const more = next ? ' More are waiting: decide these and type "pending" again.' : '';
  return { text: `${items.length} request${items.length === 1 ? '' : 's'} waiting for a decision, oldest first.${more}`, cards: items.map((r) => approvalCard(r)) };
};
