import { describeProblem } from '../../cards/i18n';
import { requestFormCard } from '../../cards/views/requestFormView';
import { requestStatusCard } from '../../cards/views/requestStatusView';
import { routeApprovals } from '../../domain/usecases/routeApprovals';
import { submitRequest as submit } from '../../domain/usecases/submitRequest';
import { pickRawInput } from '../../domain/validation/requestInput';
import { formTeams } from '../formTeams';
import type { ActionHandler } from '../handler';

/**
 * The request form was submitted. Only the form's own inputs are read from the data; the requester
 * is whoever Teams says sent the invoke.
 */
export const submitRequest: ActionHandler = async ({ wf, background, turn, t, data }) => {
  // Outcome messages (with the redeem link) go where the request was made: never a channel.
  if (!turn.personal) return { text: t.messages.personalChatOnly };
  const result = await submit(wf, { raw: pickRawInput(data), requester: turn.user, requesterAddress: turn.address, requesterLocale: turn.locale });
  if (result.kind === 'invalid') return { card: requestFormCard(t, result.entered, result.errors, '', turn.locale, await formTeams(wf, turn)) };
  if (result.kind === 'overLimit') return { card: requestFormCard(t, result.entered, {}, describeProblem(t, result.problem), turn.locale, await formTeams(wf, turn)) };
  const { request } = result;
  background.run('routeApprovals', () => routeApprovals(wf, request));
  return { card: requestStatusCard(t, request) };
};
