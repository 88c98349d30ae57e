import { helpCard } from '../../cards/views/helpView';
import type { BotServices, CommandHandler } from '../handler';

/**
 * Whether help lists the approver commands. Only a hint: `pending` checks again. When the approver
 * group cannot be read (Graph down), help still answers, without them.
 */
export function showsApproverCommands(services: BotServices, userId: string): Promise<boolean> {
  return services.wf.approvers.isApprover(userId).catch(() => false);
}

export const helpCommand: CommandHandler = async (ctx) => ({
  cards: [helpCard(ctx.t, { isApprover: await showsApproverCommands(ctx, ctx.turn.user.id) })],
});
