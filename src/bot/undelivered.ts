/**
 * A reply Teams did not take. A refusal for good (403: the bot was removed or blocked; 404: the
 * conversation is gone) is a warning naming the conversation: nothing in the bot is broken, and
 * another message to the same conversation would be refused too. Anything else is an error.
 */
import type { Activity } from 'botbuilder';
import type { Logger } from '../domain/ports';
import { permanentRefusalStatus } from '../domain/sendFailures';
import { errorMessage } from './errorMessage';

export function logUndelivered(log: Logger, activity: Partial<Activity>, err: unknown, fields: Record<string, unknown> = {}): void {
  const status = permanentRefusalStatus(err);
  const where = {
    activityId: activity.id,
    conversationType: activity.conversation?.conversationType,
    conversationId: typeof activity.conversation?.id === 'string' ? activity.conversation.id.slice(0, 200) : undefined,
    ...fields,
  };
  if (status !== undefined) log.warn({ ...where, status, err: errorMessage(err) }, 'reply not delivered: Teams refused it');
  else log.error({ ...where, err: errorMessage(err) }, 'reply not delivered');
}
