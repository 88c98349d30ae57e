/**
 * Implements the domain's Notifier with botbuilder's CloudAdapter: proactive 1:1 chats with
 * approvers (create conversation on the requester's serviceUrl), card updates in place, and
 * messages to the requester. Connector hiccups (429/5xx/network) are retried by botbuilder's own
 * connector client; a permanent refusal becomes PermanentDeliveryError.
 */
import { type Activity, CardFactory, type CloudAdapter, type ConversationParameters, MessageFactory, type TurnContext } from 'botbuilder';
import { approvalCard } from '../../cards/views/approvalView';
import { channelApprovalKey } from '../../domain/usecases/routeApprovals';
import { requestStatusCard } from '../../cards/views/requestStatusView';
import { teamMembershipText } from '../../cards/views/teamMembershipText';
import type { AdaptiveCard } from '../../cards/render';
import { stringsFor, type Strings } from '../../cards/i18n';
import { formatTime } from '../../cards/formatTime';
import { plainText } from '../../cards/plainText';
import type { ApprovalMessage, ChatAddress, GuestRequest } from '../../domain/guestRequest';
import { PermanentDeliveryError, type Logger, type Notifier } from '../../domain/ports';
import { referenceOf } from '../../bot/chatAddress';
import { permanentConnectorStatus } from './connectorStatus';

export interface TeamsNotifierOptions {
  /** The bot's app id ('' in local mode). */
  readonly appId: string;
  /**
   * Language of what approvers receive proactively (their locale is unknown until they interact);
   * requesters get their own, recorded with the request.
   */
  readonly approverLocale?: string;
  readonly log: Logger;
}

function cardActivity(card: AdaptiveCard, summary: string): Partial<Activity> {
  const activity = MessageFactory.attachment(CardFactory.adaptiveCard(card));
  // Shown in notifications and the chat list, where cards are not rendered.
  activity.summary = summary;
  return activity;
}


export class TeamsNotifier implements Notifier {
  private readonly approverStrings: Strings;

  constructor(
    private readonly adapter: CloudAdapter,
    private readonly options: TeamsNotifierOptions,
  ) {
    this.approverStrings = stringsFor(options.approverLocale);
  }

  async sendApprovalCard(approverId: string, request: GuestRequest, via: ChatAddress): Promise<ApprovalMessage> {
    const parameters = {
      isGroup: false,
      bot: { id: via.botId ?? this.options.appId, name: via.botName ?? '' },
      members: [{ id: approverId, name: '' }],
      tenantId: via.tenantId,
      channelData: via.tenantId ? { tenant: { id: via.tenantId } } : undefined,
    } as ConversationParameters;
    let landed: ApprovalMessage | undefined;
    await this.adapter.createConversationAsync(
      this.options.appId,
      via.channelId,
      via.serviceUrl,
      // undefined = botbuilder's default audience for the channel (api.botframework.com).
      undefined as unknown as string,
      parameters,
      async (context: TurnContext) => {
        const conversationId = context.activity.conversation.id;
        const sent = await context.sendActivity(cardActivity(approvalCard(this.approverStrings, request), this.approverStrings.status.summaries.Pending));
        if (!sent?.id) throw new Error('The connector returned no activity id for the approval card');
        landed = {
          requestId: request.id,
          approverId,
          address: { ...via, conversationId, userId: approverId },
          activityId: sent.id,
        };
      },
    );
    if (!landed) throw new Error('The approval chat was not created');
    return landed;
  }

  async postApprovalToChannel(channelId: string, request: GuestRequest, via: ChatAddress, deciders: readonly string[]): Promise<ApprovalMessage> {
    const t = this.approverStrings;
    const activity = cardActivity(approvalCard(t, request, '', { readOnly: true, refreshFor: deciders }), t.status.summaries.Pending);
    const parameters = {
      isGroup: true,
      bot: { id: via.botId ?? this.options.appId, name: via.botName ?? '' },
      channelData: { channel: { id: channelId }, ...(via.tenantId ? { tenant: { id: via.tenantId } } : {}) },
      tenantId: via.tenantId,
      activity,
    } as ConversationParameters;
    let conversationId: string | undefined;
    await this.adapter.createConversationAsync(
      this.options.appId,
      via.channelId,
      via.serviceUrl,
      undefined as unknown as string,
      parameters,
      async (context: TurnContext) => {
        conversationId = context.activity.conversation.id;
      },
    );
    if (!conversationId) throw new Error('The channel post was not created');
    // Teams names the new thread "<channel>;messageid=<root message id>": the root is the card.
    const activityId = conversationId.split(';messageid=')[1] ?? conversationId;
    return {
      requestId: request.id,
      approverId: channelApprovalKey(channelId),
      channelId,
      deciders: [...deciders],
      address: { ...via, conversationId, userId: undefined },
      activityId,
    };
  }

  async updateApprovalCard(message: ApprovalMessage, request: GuestRequest): Promise<void> {
    await this.inChat(message.address, async (context) => {
      const card = message.channelId
        ? approvalCard(this.approverStrings, request, '', { readOnly: true, refreshFor: message.deciders ?? [] })
        : approvalCard(this.approverStrings, request);
      const activity = cardActivity(card, this.approverStrings.status.summaries[request.status]);
      await context.updateActivity({ ...activity, id: message.activityId, type: 'message' });
    });
  }

  async notifyRequester(request: GuestRequest): Promise<void> {
    await this.inChat(request.requesterAddress, async (context) => {
      const t = stringsFor(request.requesterLocale);
      await context.sendActivity(cardActivity(requestStatusCard(t, request), t.status.summaries[request.status]));
    });
  }

  async notifyTeamMembership(request: GuestRequest): Promise<void> {
    const text = teamMembershipText(stringsFor(request.requesterLocale), request);
    if (!text) return;
    await this.inChat(request.requesterAddress, async (context) => {
      await context.sendActivity(MessageFactory.text(text));
    });
  }

  async notifyApprover(message: ApprovalMessage, request: GuestRequest): Promise<void> {
    await this.inChat(message.address, async (context) => {
      const text = this.approverStrings.messages.failedForApprover(plainText(request.guest.email), request.id, plainText(request.failure?.message ?? '—'));
      await context.sendActivity(MessageFactory.text(text));
    });
  }

  async remindApprover(message: ApprovalMessage, request: GuestRequest): Promise<void> {
    await this.inChat(message.address, async (context) => {
      const text = this.approverStrings.messages.reminder(plainText(request.requester.name), plainText(request.guest.email), request.id, formatTime(request.createdAt));
      await context.sendActivity(MessageFactory.text(text));
    });
  }

  private async inChat(address: ChatAddress, logic: (context: TurnContext) => Promise<void>): Promise<void> {
    // The adapter hands an error thrown in `logic` to onTurnError and resolves: catch it here, so
    // that callers learn the message did not go out (and do not record it as delivered).
    let failure: { error: unknown } | undefined;
    await this.adapter.continueConversationAsync(this.options.appId, referenceOf(address), async (context) => {
      try {
        await logic(context);
      } catch (error) {
        failure = { error };
      }
    });
    if (failure) {
      const permanent = permanentConnectorStatus(failure.error);
      if (permanent !== undefined) throw new PermanentDeliveryError(permanent, `Teams refused the message (HTTP ${permanent})`);
      throw failure.error;
    }
  }
}
