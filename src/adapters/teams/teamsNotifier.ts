/**
 * Implements the domain's Notifier with botbuilder's CloudAdapter: proactive 1:1 chats with
 * approvers (create conversation on the requester's serviceUrl), card updates in place, and
 * messages to the requester. Connector hiccups (429/5xx/network) are retried by botbuilder's own
 * connector client; a permanent refusal becomes PermanentDeliveryError.
 */
import { type Activity, CardFactory, type CloudAdapter, type ConversationParameters, MessageFactory, type TurnContext } from 'botbuilder';
import { approvalCard } from '../../cards/views/approvalView';
import { requestStatusCard } from '../../cards/views/requestStatusView';
import { teamMembershipText } from '../../cards/views/teamMembershipText';
import type { AdaptiveCard } from '../../cards/render';
import { stringsFor, type Strings } from '../../cards/i18n';
import { formatTime } from '../../cards/formatTime';
import { plainText } from '../../cards/plainText';
import { channelApprovalKey, type ApprovalMessage, type ChatAddress, type GuestRequest } from '../../domain/guestRequest';
import { PermanentDeliveryError, type Notifier } from '../../domain/ports';
import { BackgroundLane } from '../system/backgroundLane';
import { permanentConnectorStatus } from './connectorStatus';
import { ConversationCache } from './conversationCache';
import { referenceOf } from './conversationReference';
import { ShownCards } from './shownCards';
import { openConversation, surfacingErrors } from './openConversation';

export interface TeamsNotifierOptions {
  /** The bot's app id ('' in local mode). */
  readonly appId: string;
  /**
   * Language of what approvers receive proactively (their locale is unknown until they interact);
   * requesters get their own, recorded with the request.
   */
  readonly approverLocale?: string;
}

function cardActivity(card: AdaptiveCard, summary: string): Partial<Activity> {
  const activity = MessageFactory.attachment(CardFactory.adaptiveCard(card));
  // Shown in notifications and the chat list, where cards are not rendered.
  activity.summary = summary;
  return activity;
}


export class TeamsNotifier implements Notifier {
  private readonly approverStrings: Strings;
  private readonly chats = new ConversationCache();
  private readonly shown = new ShownCards();
  /** 1:1 approval cards by the request version they show (requests are never mutated in place). */
  private readonly drawn = new WeakMap<GuestRequest, AdaptiveCard>();

  constructor(
    private readonly adapter: CloudAdapter,
    private readonly options: TeamsNotifierOptions,
  ) {
    this.approverStrings = stringsFor(options.approverLocale);
  }

  async sendApprovalCard(approverId: string, request: GuestRequest, via: ChatAddress): Promise<ApprovalMessage> {
    const t = this.approverStrings;
    let activityId: string | undefined;
    const send = async (context: TurnContext) => {
      const sent = await context.sendActivity(cardActivity(this.approvalCardFor({}, request), t.status.summaries.Pending));
      activityId = sent?.id;
    };
    let conversationId = this.chats.get(via.serviceUrl, via.tenantId, approverId);
    if (conversationId !== undefined) {
      try {
        await this.inChat({ ...via, conversationId, userId: approverId }, send);
      } catch (err) {
        // Gone (the bot was removed and added again, say): create the chat again, once. Anything
        // else is the caller's to retry, and the chat is still the right one.
        if (!(err instanceof PermanentDeliveryError)) throw err;
        this.chats.forget(via.serviceUrl, via.tenantId, approverId);
        conversationId = undefined;
      }
    }
    if (conversationId === undefined) {
      conversationId = await this.openConversation(via, { isGroup: false, members: [{ id: approverId, name: '' }] }, send);
      this.chats.set(via.serviceUrl, via.tenantId, approverId, conversationId);
    }
    if (!activityId) throw new Error('The connector returned no activity id for the approval card');
    return { requestId: request.id, approverId, address: { ...via, conversationId, userId: approverId }, activityId };
  }

  async postApprovalToChannel(channelId: string, request: GuestRequest, via: ChatAddress, deciders: readonly string[]): Promise<ApprovalMessage> {
    const message = { channelId, deciders: [...deciders] };
    const activity = cardActivity(this.approvalCardFor(message, request), this.approverStrings.status.summaries.Pending);
    const conversationId = await this.openConversation(via, { isGroup: true, channelData: { channel: { id: channelId } }, activity: activity as Activity });
    // Teams names the new thread "<channel>;messageid=<root message id>": the root is the card.
    const activityId = conversationId.split(';messageid=')[1] ?? conversationId;
    return { requestId: request.id, approverId: channelApprovalKey(channelId), ...message, address: { ...via, conversationId, userId: undefined }, activityId };
  }

  async updateApprovalCard(message: ApprovalMessage, request: GuestRequest): Promise<void> {
    const activity = cardActivity(this.approvalCardFor(message, request), this.approverStrings.status.summaries[request.status]);
    // A decision that races the fan-out refreshes the cards twice with the same content: send once.
    await this.shown.update(message.address.conversationId, message.activityId, activity, () =>
      this.inChat(message.address, async (context) => {
        await context.updateActivity({ ...activity, id: message.activityId, type: 'message' });
      }),
    );
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

  /** A channel's shared card is read-only, with each decider's own view through refresh. */
  private approvalCardFor(message: Pick<ApprovalMessage, 'channelId' | 'deciders'>, request: GuestRequest): AdaptiveCard {
    if (message.channelId) return approvalCard(this.approverStrings, request, '', { readOnly: true, refreshFor: message.deciders ?? [] });
    // Every approver's 1:1 card shows the same thing: a refresh draws it once for all of them.
    let card = this.drawn.get(request);
    if (!card) {
      card = approvalCard(this.approverStrings, request);
      this.drawn.set(request, card);
    }
    return card;
  }

  private openConversation(via: ChatAddress, shape: Partial<ConversationParameters>, logic?: (context: TurnContext) => Promise<void>): Promise<string> {
    return BackgroundLane.call(() => openConversation(this.adapter, this.options.appId, via, shape, logic));
  }

  /** Runs `logic` in an existing chat; a refusal for good becomes PermanentDeliveryError. */
  private async inChat(address: ChatAddress, logic: (context: TurnContext) => Promise<void>): Promise<void> {
    await BackgroundLane.call(() =>
      surfacingErrors(
        (run) => this.adapter.continueConversationAsync(this.options.appId, referenceOf(address), run),
        async (context) => {
          try {
            await logic(context);
          } catch (error) {
            const permanent = permanentConnectorStatus(error);
            throw permanent === undefined ? error : new PermanentDeliveryError(permanent, `Teams refused the message (HTTP ${permanent})`);
          }
        },
      ),
    );
  }
}
