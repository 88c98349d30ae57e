/** The invoke response bodies Teams expects for adaptiveCard/action (docs/protocol.md §3). */
import type { InvokeResponse } from 'botbuilder';
import { ADAPTIVE_CARD_CONTENT_TYPE } from '../cards/render';
import type { ActionReply } from './handler';

export const MESSAGE_CONTENT_TYPE = 'application/vnd.microsoft.activity.message';

export function invokeResponseFor(reply: ActionReply): InvokeResponse {
  if ('card' in reply) return { status: 200, body: { statusCode: 200, type: ADAPTIVE_CARD_CONTENT_TYPE, value: reply.card } };
  return { status: 200, body: { statusCode: 200, type: MESSAGE_CONTENT_TYPE, value: reply.text } };
}
