/**
 * The size every message the bot sends must fit. Teams refuses a message above about 100 KB
 * (413 MessageSizeTooBig), counted on its JSON as UTF-16 (2 bytes a character); 80 KB leaves room
 * for what the connector adds. Lists page by this budget (`pending`), and one check, a middleware
 * on the adapter, sees every outgoing message (replies, invoke answers, proactive sends and
 * updates) and never lets one above it out.
 */
import type { Activity, Middleware, TurnContext } from 'botbuilder';
import { stringsFor } from '../cards/i18n';
import type { Logger } from '../domain/ports';
import { invokeResponseFor } from './invokeResponse';

export const MESSAGE_BUDGET_BYTES = 80 * 1024;
/** Kept free for the activity's envelope (addresses, ids, service URL) when a page is filled. */
export const ENVELOPE_RESERVE_BYTES = 4 * 1024;

/** Size of a value as Teams counts it: its JSON in UTF-16. */
export function messageBytes(value: unknown): number {
  return (JSON.stringify(value) ?? '').length * 2;
}

export function fitsBudget(activity: Partial<Activity>): boolean {
  return messageBytes(activity) <= MESSAGE_BUDGET_BYTES;
}

/** The middleware: a message over the budget is replaced by a short text saying so, and logged. */
export function messageBudget(log: Logger): Middleware {
  return {
    async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
      const replace = (activity: Partial<Activity>): Partial<Activity> => {
        if (fitsBudget(activity)) return activity;
        log.error(
          { activityId: context.activity?.id, type: activity.type, bytes: messageBytes(activity) },
          'message over the size budget not sent',
        );
        const { tooLarge } = stringsFor(context.activity?.locale).messages;
        if (activity.type === 'invokeResponse') return { ...activity, value: invokeResponseFor({ text: tooLarge }) };
        return { ...activity, attachments: undefined, attachmentLayout: undefined, text: tooLarge };
      };
      context.onSendActivities(async (_ctx, activities, send) => {
        activities.splice(0, activities.length, ...activities.map(replace));
        return send();
      });
      context.onUpdateActivity(async (_ctx, activity, update) => {
        Object.assign(activity, replace(activity));
        return update();
      });
      await next();
    },
  };
}
