/** The Bot Framework conversation reference of a stored ChatAddress, to continue a conversation proactively. */
import type { ConversationReference } from 'botbuilder';
import type { ChatAddress } from '../../domain/guestRequest';

export function referenceOf(address: ChatAddress): Partial<ConversationReference> {
  return {
    serviceUrl: address.serviceUrl,
    channelId: address.channelId,
    conversation: { id: address.conversationId, isGroup: false, conversationType: 'personal', tenantId: address.tenantId, name: '' },
    bot: address.botId ? { id: address.botId, name: address.botName ?? '' } : undefined,
    user: address.userId ? { id: address.userId, name: '' } : undefined,
  };
}
