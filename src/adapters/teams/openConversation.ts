/** Starting a conversation from the bot's side (a 1:1 chat, or a thread in a channel). */
import type { BotAdapter, ConversationParameters, TurnContext } from 'botbuilder';
import type { ChatAddress } from '../../domain/guestRequest';

/**
 * Creates a conversation on `via`'s service URL (Teams returns the existing 1:1 chat when there is
 * one) and runs `logic` in it; resolves with the conversation id. botbuilder hands an error thrown
 * in `logic` to onTurnError and resolves, so it is caught here and rethrown: callers learn that
 * nothing went out.
 */
export async function openConversation(
  adapter: Pick<BotAdapter, 'createConversationAsync'>,
  appId: string,
  via: ChatAddress,
  shape: Partial<ConversationParameters>,
  logic: (context: TurnContext) => Promise<void> = async () => undefined,
): Promise<string> {
  const tenant = via.tenantId ? { tenant: { id: via.tenantId } } : {};
  const parameters = {
    ...shape,
    bot: { id: via.botId ?? appId, name: via.botName ?? '' },
    tenantId: via.tenantId,
    channelData: { ...(shape.channelData as object | undefined), ...tenant },
  } as ConversationParameters;
  let conversationId: string | undefined;
  let failure: { error: unknown } | undefined;
  await adapter.createConversationAsync(
    appId,
    via.channelId,
    via.serviceUrl,
    // undefined = botbuilder's default audience for the channel (api.botframework.com).
    undefined as unknown as string,
    parameters,
    async (context: TurnContext) => {
      conversationId = context.activity.conversation.id;
      await logic(context).catch((error: unknown) => {
        failure = { error };
      });
    },
  );
  if (failure) throw failure.error;
  if (!conversationId) throw new Error('The conversation was not created');
  return conversationId;
}
