/**
 * Implements the domain's Notifier with botbuilder's CloudAdapter: proactive 1:1 chats with
 * approvers (create conversation on the requester's serviceUrl), card updates in place, and
 * messages to the requester. Connector hiccups (429/5xx/network) are retried by botbuilder's own
 * connector client; a permanent refusal becomes PermanentDeliveryError.
 *
 * One slow chat never holds up the others: each call has a deadline (a call that passes it fails as
 * a passing failure, to be tried again later, and is aborted on the wire), at most `perChat` calls
 * are in flight per destination chat (the rest wait outside the background lane), and a call still
 * in flight after `holdSlotAtMostMs` gives its lane slot back.
 */
import { type Activity, CardFactory, type CloudAdapter, type ConversationParameters, MessageFactory, type TurnContext } from 'botbuilder';
import { approvalCard } from '../../cards/views/approvalView';
import { requestStatusCard } from '../../cards/views/requestStatusView';
import { failureText } from '../../cards/views/statusLabel';
import { teamMembershipText } from '../../cards/views/teamMembershipText';
import type { AdaptiveCard } from '../../cards/render';
import { stringsFor, type Strings } from '../../cards/i18n';
import { formatTime } from '../../cards/formatTime';
import { plainText } from '../../cards/plainText';
import { channelApprovalKey, type ApprovalMessage, type ChatAddress, type GuestRequest } from '../../domain/guestRequest';
import { PermanentDeliveryError, type Notifier } from '../../domain/ports';
import { BackgroundLane } from '../system/backgroundLane';
import { withDeadline } from '../system/deadlines';
import { ChatGate } from './chatGate';
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
  /** Deadline of one call (opening a chat, a message, a card update), retries included. */
  readonly callTimeoutMs?: number;
  /** Calls in flight at once per destination chat. */
  readonly perChat?: number;
  /** How long a call may hold a background-lane slot before it gives it back (see backgroundLane.ts). */
  readonly holdSlotAtMostMs?: number;
}

/** Teams answers in well under a second; its own retries of a 429 or 5xx fit in this too. */
export const DEFAULT_TEAMS_CALL_TIMEOUT_MS = 15_000;
/** Teams itself throttles one chat to a few messages a second: more in flight would only queue there. */
export const DEFAULT_CALLS_PER_CHAT = 2;
/** Far above a normal answer (tens to hundreds of milliseconds). */
export const DEFAULT_HOLD_SLOT_AT_MOST_MS = 2000;

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
  private readonly gate: ChatGate;

  constructor(
    private readonly adapter: CloudAdapter,
    private readonly options: TeamsNotifierOptions,
  ) {
    this.approverStrings = stringsFor(options.approverLocale);
    this.gate = new ChatGate(options.perChat ?? DEFAULT_CALLS_PER_CHAT);
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

  async updateRequesterCard(request: GuestRequest): Promise<void> {
    const cardId = request.requesterCardId;
    if (!cardId) return;
    const t = stringsFor(request.requesterLocale);
    const activity = cardActivity(requestStatusCard(t, request, { live: true }), t.status.summaries[request.status]);
    // The requester's own chat, where their submit answered: the message that held the form.
    await this.shown.update(request.requesterAddress.conversationId, cardId, activity, () =>
      this.inChat(request.requesterAddress, async (context) => {
        await context.updateActivity({ ...activity, id: cardId, type: 'message' });
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
      const text = this.approverStrings.messages.failedForApprover(plainText(request.guest.email), request.id, plainText(failureText(this.approverStrings, request.failure) ?? '—'));
      await context.sendActivity(MessageFactory.text(text));
    });
  }

  async remindApprover(message: ApprovalMessage, request: GuestRequest): Promise<void> {
    await this.inChat(message.address, async (context) => {
      const text = this.approverStrings.messages.reminder(plainText(request.requester.name), plainText(request.guest.email), request.id, formatTime(request.createdAt, this.approverStrings.locale));
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
    // Keyed by whom the chat is with (a 1:1 chat's id is not known yet) or the channel.
    const channel = (shape.channelData as { channel?: { id?: unknown } } | undefined)?.channel?.id;
    const chat = `open\n${via.serviceUrl}\n${typeof channel === 'string' ? channel : (shape.members?.[0]?.id ?? '').toLowerCase()}`;
    return this.call(chat, 'Teams: opening a conversation', () => openConversation(this.adapter, this.options.appId, via, shape, logic));
  }

  /** The gate of the destination chat, then a lane slot, then the call under its deadline. */
  private call<T>(chat: string, what: string, io: () => Promise<T>): Promise<T> {
    const { callTimeoutMs = DEFAULT_TEAMS_CALL_TIMEOUT_MS, holdSlotAtMostMs = DEFAULT_HOLD_SLOT_AT_MOST_MS } = this.options;
    return this.gate.run(chat, () => BackgroundLane.call(() => withDeadline(callTimeoutMs, what, io), { holdAtMostMs: holdSlotAtMostMs }));
  }

  /** Runs `logic` in an existing chat; a refusal for good becomes PermanentDeliveryError. */
  private async inChat(address: ChatAddress, logic: (context: TurnContext) => Promise<void>): Promise<void> {
    await this.call(`chat\n${address.serviceUrl}\n${address.conversationId}`, 'Teams: a message or card update', () =>
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
