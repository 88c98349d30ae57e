/** Starting a conversation from the bot's side (a 1:1 chat, or a thread in a channel). */
import type { BotAdapter, ConversationParameters, TurnContext } from 'botbuilder';
import type { ChatAddress } from '../../domain/guestRequest';

/**
 * Creates a conversation on `via`'s service URL (Teams returns the existing 1:1 chat when there is
 * one) and runs `logic` in it; resolves with the conversation id. An error thrown in `logic` is
 * rethrown (surfacingErrors).
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
  await surfacingErrors(
    // undefined = botbuilder's default audience for the channel (api.botframework.com).
    (run) => adapter.createConversationAsync(appId, via.channelId, via.serviceUrl, undefined as unknown as string, parameters, run),
    async (context) => {
      conversationId = context.activity.conversation.id;
      await logic(context);
    },
  );
  if (!conversationId) throw new Error('The conversation was not created');
  return conversationId;
}

/**
 * Runs `logic` in the turn that `start` opens (createConversationAsync, continueConversationAsync)
 * and rethrows what it threw: botbuilder hands such an error to onTurnError and resolves, and the
 * caller must learn that nothing went out (and not record it as delivered).
 */
export async function surfacingErrors(
  start: (run: (context: TurnContext) => Promise<void>) => Promise<unknown>,
  logic: (context: TurnContext) => Promise<void>,
): Promise<void> {
  let failure: { error: unknown } | undefined;
  await start(async (context) => {
    try {
      await logic(context);
    } catch (error) {
      failure = { error };
    }
  });
  if (failure) throw failure.error;
}
