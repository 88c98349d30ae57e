import { requestForm } from '../requestForm';
import type { CommandHandler } from '../handler';

/**
 * The request form, offering the requester's teams. Typed anywhere but the personal chat (a team
 * channel, say), the form goes to the requester's personal chat (with that team chosen): the
 * guest's details, and later the redeem link, are not for everyone in the conversation.
 */
export const requestCommand: CommandHandler = async (ctx) => {
  const { t, turn } = ctx;
  const form = await requestForm(ctx);
  return turn.personal ? { cards: [form] } : { text: t.teams.formSentPrivately, privateCards: [form] };
};
