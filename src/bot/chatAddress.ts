/** Converts between Bot Framework conversation references and the domain's ChatAddress. */
import type { Activity, ConversationReference } from 'botbuilder';
import type { ChatAddress } from '../domain/guestRequest';

export function addressOf(activity: Activity): ChatAddress {
  const tenantId = tenantOf(activity);
  return {
    serviceUrl: activity.serviceUrl,
    channelId: activity.channelId,
    conversationId: activity.conversation.id,
    tenantId: tenantId || undefined,
    botId: activity.recipient?.id,
    botName: activity.recipient?.name,
    userId: activity.from?.id,
  };
}

export function referenceOf(address: ChatAddress): Partial<ConversationReference> {
  return {
    serviceUrl: address.serviceUrl,
    channelId: address.channelId,
    conversation: { id: address.conversationId, isGroup: false, conversationType: 'personal', tenantId: address.tenantId, name: '' },
    bot: address.botId ? { id: address.botId, name: address.botName ?? '' } : undefined,
    user: address.userId ? { id: address.userId, name: '' } : undefined,
  };
}

/** The tenant of an activity, from Teams' channelData (the documented place), else the conversation. */
export function tenantOf(activity: Partial<Activity>): string {
  const channelData = activity.channelData as { tenant?: { id?: unknown } } | undefined;
  const fromChannelData = channelData?.tenant?.id;
  if (typeof fromChannelData === 'string') return fromChannelData;
  const fromConversation = (activity.conversation as { tenantId?: unknown } | undefined)?.tenantId;
  return typeof fromConversation === 'string' ? fromConversation : '';
}
