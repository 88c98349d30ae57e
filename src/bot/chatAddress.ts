/** The domain's ChatAddress of an incoming activity (the way back: adapters/teams/conversationReference.ts). */
import type { Activity } from 'botbuilder';
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

/** The tenant of an activity, from Teams' channelData (the documented place), else the conversation. */
export function tenantOf(activity: Partial<Activity>): string {
  const channelData = activity.channelData as { tenant?: { id?: unknown } } | undefined;
  const fromChannelData = channelData?.tenant?.id;
  if (typeof fromChannelData === 'string') return fromChannelData;
  const fromConversation = (activity.conversation as { tenantId?: unknown } | undefined)?.tenantId;
  return typeof fromConversation === 'string' ? fromConversation : '';
}
