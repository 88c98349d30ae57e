import { requestFormCard } from '../../cards/views/requestFormView';
import { formTeams } from '../formTeams';
import type { CommandHandler } from '../handler';

/**
 * The request form, offering the requester's teams. Typed in a team channel, the form goes to the
 * requester's personal chat (with that team chosen): the guest's details, and later the redeem
 * link, are not for the whole channel.
 */
export const requestCommand: CommandHandler = async ({ wf, t, turn }) => {
  const form = requestFormCard(t, {}, {}, '', turn.locale, await formTeams(wf, turn));
  return turn.team ? { text: t.teams.formSentPrivately, privateCards: [form] } : { cards: [form] };
};
