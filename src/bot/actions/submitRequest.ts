import { describeProblem } from '../../cards/i18n';
import { requestStatusCard } from '../../cards/views/requestStatusView';
import { submitRequest as submit } from '../../domain/usecases/request/submitRequest';
import { pickRawInput } from '../../domain/validation/requestInput';
import { requestForm } from '../requestForm';
import type { ActionHandler } from '../handler';

/**
 * The request form was submitted. Only the form's own inputs are read from the data; the requester
 * is whoever Teams says sent the invoke.
 */
export const submitRequest: ActionHandler = async (ctx) => {
  const { wf, background, turn, t, data } = ctx;
  // Outcome messages (with the redeem link) go where the request was made: never a channel.
  if (!turn.personal) return { text: t.messages.personalChatOnly };
  const submissionId = submissionIdIn(data);
  const result = await submit(wf, {
    raw: pickRawInput(data),
    requester: turn.user,
    requesterAddress: turn.address,
    requesterLocale: turn.locale,
    submissionId,
    requesterCardId: turn.replyToId,
  });
  // Shown again with the same token: fixed and sent, it still makes one request.
  if (result.kind === 'invalid') return { card: await requestForm(ctx, { entered: result.entered, errors: result.errors, submissionId }) };
  if (result.kind === 'overLimit')
    return { card: await requestForm(ctx, { entered: result.entered, formProblem: describeProblem(t, result.problem), submissionId }) };
  const { request } = result;
  // A replayed form answers with its request's card; its approvals were routed by the first submit
  // (or, had that process died, are resumed by the sweep). A new one's fan-out was claimed with the write.
  if (result.fanOut) background.run('routeApprovals', result.fanOut);
  // Replaces the form: this message is the requester's live card from now on (refreshRequesterCard.ts).
  return { card: requestStatusCard(t, request, { live: true }) };
};

/** The form's one-time token from the action data, if it has one (forms sent before it have none). */
function submissionIdIn(data: unknown): string | undefined {
  const value = typeof data === 'object' && data !== null ? (data as Record<string, unknown>).submissionId : undefined;
  return typeof value === 'string' && value !== '' ? value : undefined;
}
