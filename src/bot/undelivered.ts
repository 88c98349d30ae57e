/**
 * A reply Teams did not take. A refusal for good (403: the bot was removed or blocked; 404: the
 * conversation is gone) is a warning naming the conversation: nothing in the bot is broken, and
 * another message to the same conversation would be refused too. Anything else is an error.
 */
import type { Activity } from 'botbuilder';
import type { Logger } from '../domain/ports';
import { permanentRefusalStatus } from '../domain/sendFailures';
import { errorText } from '../domain/usecases/audit';

/**
 * The status of Teams' refusal for good of a call the turn made to its own Bot Connector (the
 * activity's serviceUrl), if `err` is one; not a 4xx from storage or Graph that reached the turn.
 */
export function replyRefusal(activity: Partial<Activity>, err: unknown): number | undefined {
  const url = (err as { request?: { url?: unknown } } | undefined)?.request?.url;
  const serviceUrl = activity.serviceUrl;
  if (typeof url !== 'string' || typeof serviceUrl !== 'string' || serviceUrl === '') return undefined;
  return url.startsWith(serviceUrl) ? permanentRefusalStatus(err) : undefined;
}

/** Logs a reply that did not arrive: a warning when Teams refused it for good, otherwise an error. */
export function logUndelivered(log: Logger, activity: Partial<Activity>, err: unknown, fields: Record<string, unknown> = {}): void {
  const status = replyRefusal(activity, err);
  const text = (value: unknown, max: number) => (typeof value === 'string' ? value.slice(0, max) : undefined);
  const where = {
    activityId: text(activity.id, 200),
    conversationType: text(activity.conversation?.conversationType, 32),
    conversationId: text(activity.conversation?.id, 200),
    ...fields,
  };
  if (status !== undefined) log.warn({ ...where, status, err: errorText(err) }, 'reply not delivered: Teams refused it');
  else log.error({ ...where, err: errorText(err) }, 'reply not delivered');
}
