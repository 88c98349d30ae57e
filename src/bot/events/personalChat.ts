/**
 * Personal-scope activities → what they mean for the person's stored chat (PersonalChats): the app
 * installed for them (installationUpdate add, or conversationUpdate with the bot among the members
 * added), uninstalled (installationUpdate remove, or the bot among the members removed), or any
 * other activity of theirs in the 1:1 chat (a refresh of the same reference). Nothing outside a
 * personal chat, nothing without an Entra object id.
 */
import type { Activity } from 'botbuilder';
import type { PersonalChatEvent } from '../../domain/usecases/personalChats';
import { addressOf } from '../chatAddress';
import { isPersonal, turnInfo } from '../turnInfo';

export function personalChatEventOf(activity: Activity): PersonalChatEvent | undefined {
  if (!isPersonal(activity)) return undefined;
  const turn = turnInfo(activity);
  if (!turn) return undefined;
  const userId = turn.user.id;
  const address = addressOf(activity);
  // A reference without a serviceUrl or conversation could never be used: nothing to store.
  const usable =
    typeof address.serviceUrl === 'string' &&
    /^https?:\/\//.test(address.serviceUrl) &&
    typeof address.conversationId === 'string' &&
    address.conversationId !== '';
  const botId = activity.recipient?.id;
  const includesBot = (members: unknown) =>
    Array.isArray(members) && members.some((m: { id?: unknown } | null) => !!botId && m?.id === botId);
  if (activity.type === 'installationUpdate') {
    const action = typeof activity.action === 'string' ? activity.action : '';
    if (action === 'add' || action === 'add-upgrade') return usable ? { kind: 'installed', userId, address } : undefined;
    if (action === 'remove') return { kind: 'uninstalled', userId };
    return undefined;
  }
  if (activity.type === 'conversationUpdate') {
    if (includesBot(activity.membersRemoved)) return { kind: 'uninstalled', userId };
    if (includesBot(activity.membersAdded) && usable) return { kind: 'installed', userId, address };
    return undefined;
  }
  return usable ? { kind: 'seen', userId, address } : undefined;
}
