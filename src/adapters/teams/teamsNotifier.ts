/**
 * Implements the domain's Notifier with botbuilder's CloudAdapter: every message to a person goes
 * to their own chat (their stored conversation reference, PersonalChats), else one opened
 * proactively on the bot's known serviceUrl, else, when Teams refuses because the app is not
 * installed for them, after installing it through Graph (appInstallations.ts); card updates in
 * place; channel cards whose buttons go to the approvers' Teams ids (teamRoster.ts). Connector hiccups (429/5xx/network) are retried by botbuilder's own
 * connector client; a permanent refusal becomes PermanentDeliveryError.
 *
 * One slow chat never holds up the others: each call has a deadline (a call that passes it fails as
 * a passing failure, to be tried again later, and is aborted on the wire), at most `perChat` calls
 * are in flight per destination chat (the rest wait outside the background lane), and a call still
 * in flight after `holdSlotAtMostMs` gives its lane slot back.
 */
import { type Activity, CardFactory, type CloudAdapter, type ConversationParameters, MessageFactory, type TurnContext } from 'botbuilder';
import { approvalCard, withApprovalRefresh } from '../../cards/views/approvalView';
import { requestStatusCard } from '../../cards/views/requestStatusView';
import { failureText } from '../../cards/views/statusLabel';
import { teamMembershipText } from '../../cards/views/teamMembershipText';
import type { AdaptiveCard } from '../../cards/render';
import { stringsFor, type Strings } from '../../cards/i18n';
import { formatTime } from '../../cards/formatTime';
import { plainText } from '../../cards/plainText';
import { channelApprovalKey, type ApprovalMessage, type ChatAddress, type GuestRequest } from '../../domain/guestRequest';
import {
  AwaitingInstallation,
  PermanentDeliveryError,
  PermanentInvitationError,
  type Logger,
  type Notifier,
  type PersonalChats,
} from '../../domain/ports';
import { permanentRefusalStatus } from '../../domain/sendFailures';
import { BackgroundLane } from '../system/backgroundLane';
import { withDeadline } from '../system/deadlines';
import { ChatGate } from './chatGate';
import { ConversationCache } from './conversationCache';
import { referenceOf } from './conversationReference';
import { ShownCards } from './shownCards';
import { openConversation, surfacingErrors } from './openConversation';
import { connectorRoster, TeamRoster } from './teamRoster';
import { RecentMap } from '../system/recentMap';

/** How long a refused installation is not asked for again (the sweep re-drives every few seconds). */
const INSTALL_REFUSAL_MEMORY_MS = 5 * 60_000;
/** Approval cards kept drawn: the fan-outs in progress at once, with room to spare. */
const DRAWN_CARDS = 64;

/** Installs the app for a person (Graph, appInstallations.ts); errors: PermanentInvitationError = refused. */
export interface PersonalAppInstaller {
  install(userId: string): Promise<{ readonly kind: 'installed' } | { readonly kind: 'alreadyInstalled'; readonly chatId?: string }>;
}

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
  /** Each person's own chat; absent = chats are opened on the known serviceUrl every time. */
  readonly chats?: PersonalChats;
  /** Installs the app for someone Teams will not open a chat with (TEAMS_APP_ID); absent = no installation. */
  readonly installer?: PersonalAppInstaller;
  /** Resolves approvers' object ids to Teams ids for channel cards (default: the connector's roster). */
  readonly roster?: TeamRoster;
  readonly log?: Pick<Logger, 'warn' | 'error'>;
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

/** Sends in a person's chat; `userId` is the id the chat's address has for them (what becomes ApprovalMessage.address.userId). */
type PersonalSend = (context: TurnContext, userId: string) => Promise<void>;

export class TeamsNotifier implements Notifier {
  private readonly approverStrings: Strings;
  private readonly chats = new ConversationCache();
  /** 1:1 chats being opened right now, by chatKey (entries leave when the open settles). */
  private readonly opening = new Map<string, Promise<string>>();
  private readonly shown = new ShownCards();
  /**
   * 1:1 approval cards by the request version they show (requests are never mutated in place), by
   * identity, for the approvers of a fan-out. Bounded: a request object may live on (the store's
   * recent versions hold pending ones) long after its drawn card is needed.
   */
  private readonly drawn = new RecentMap<AdaptiveCard, GuestRequest>(DRAWN_CARDS);
  private readonly gate: ChatGate;
  private readonly roster: TeamRoster;
  /** Installations Graph refused lately, per person: the sweep's retries do not ask again for a while. */
  private readonly refusedInstalls = new RecentMap<{ error: PermanentDeliveryError; at: number }>(10_000);

  constructor(
    private readonly adapter: CloudAdapter,
    private readonly options: TeamsNotifierOptions,
  ) {
    this.approverStrings = stringsFor(options.approverLocale);
    this.gate = new ChatGate(options.perChat ?? DEFAULT_CALLS_PER_CHAT);
    this.roster = options.roster ?? new TeamRoster(connectorRoster(adapter, options.appId));
  }

  async sendApprovalCard(
    approverId: string,
    request: GuestRequest,
    via: ChatAddress,
    options: { readonly readOnly?: boolean } = {},
  ): Promise<ApprovalMessage> {
    const t = this.approverStrings;
    const view = options.readOnly ? ({ readOnly: true } as const) : {};
    let activityId: string | undefined;
    const send = async (context: TurnContext, userId: string) => {
      const card = this.approvalCardFor({ ...view, approverId, address: { userId } }, request);
      const sent = await context.sendActivity(cardActivity(card, t.status.summaries.Pending));
      activityId = sent?.id;
    };
    const address = await this.reach(approverId, via, send);
    if (!activityId) throw new Error('The connector returned no activity id for the approval card');
    return { requestId: request.id, approverId, ...view, address, activityId };
  }

  async postApprovalToChannel(
    channelId: string,
    request: GuestRequest,
    via: ChatAddress,
    deciders: readonly string[],
  ): Promise<ApprovalMessage> {
    // refresh.userIds takes Teams user ids (MRIs), not object ids: looked up in the team's roster.
    const { mris, missing } = await this.roster.resolve(channelId, via, deciders);
    for (const approverId of missing) {
      this.options.log?.error(
        { channelId, approverId },
        "approver is not a member of the team of the approvers' channel: no buttons for them",
      );
    }
    const message = { channelId, deciders: [...mris], approverId: channelApprovalKey(channelId), address: {} };
    const activity = cardActivity(this.approvalCardFor(message, request), this.approverStrings.status.summaries.Pending);
    const conversationId = await this.openConversation(via, {
      isGroup: true,
      channelData: { channel: { id: channelId } },
      activity: activity as Activity,
    });
    // Teams names the new thread "<channel>;messageid=<root message id>": the root is the card.
    const activityId = conversationId.split(';messageid=')[1] ?? conversationId;
    return {
      requestId: request.id,
      ...message,
      address: { ...via, conversationId, userId: undefined },
      activityId,
    };
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
    await this.inPersonalChat(request.requester.id, request.requesterAddress, async (context) => {
      const t = stringsFor(request.requesterLocale);
      await context.sendActivity(cardActivity(requestStatusCard(t, request), t.status.summaries[request.status]));
    });
  }

  async notifyTeamMembership(request: GuestRequest): Promise<void> {
    const text = teamMembershipText(stringsFor(request.requesterLocale), request);
    if (!text) return;
    await this.inPersonalChat(request.requester.id, request.requesterAddress, async (context) => {
      await context.sendActivity(MessageFactory.text(text));
    });
  }

  async notifyApproversUnreachable(request: GuestRequest): Promise<void> {
    const text = stringsFor(request.requesterLocale).messages.approversUnreachable(request.id);
    await this.inPersonalChat(request.requester.id, request.requesterAddress, async (context) => {
      await context.sendActivity(MessageFactory.text(text));
    });
  }

  async notifyApprover(message: ApprovalMessage, request: GuestRequest): Promise<void> {
    await this.inChat(message.address, async (context) => {
      const text = this.approverStrings.messages.failedForApprover(
        plainText(request.guest.email),
        request.id,
        plainText(failureText(this.approverStrings, request.failure) ?? '—'),
      );
      await context.sendActivity(MessageFactory.text(text));
    });
  }

  async remindApprover(message: ApprovalMessage, request: GuestRequest): Promise<void> {
    await this.inChat(message.address, async (context) => {
      const text = this.approverStrings.messages.reminder(
        plainText(request.requester.name),
        plainText(request.guest.email),
        request.id,
        formatTime(request.createdAt, this.approverStrings.locale),
      );
      await context.sendActivity(MessageFactory.text(text));
    });
  }

  /**
   * A channel's shared card is read-only, with each decider's own view through refresh. A 1:1 card
   * carries a refresh for its approver alone, so that a card not redrawn through the connector (the
   * invitation made after the decision, docs/protocol.md §3) shows the current state when viewed.
   */
  private approvalCardFor(
    message: Pick<ApprovalMessage, 'channelId' | 'deciders' | 'readOnly' | 'approverId'> & {
      readonly address: Pick<ChatAddress, 'userId'>;
    },
    request: GuestRequest,
  ): AdaptiveCard {
    if (message.channelId) return approvalCard(this.approverStrings, request, '', { readOnly: true, refreshFor: message.deciders ?? [] });
    // Their Teams id as their chat knows it (a stored reference), else their object id.
    const refreshFor = [message.address.userId ?? message.approverId];
    // A Member invitation in the chat of an approver who may not decide it: no buttons.
    if (message.readOnly) return approvalCard(this.approverStrings, request, '', { readOnly: true, refreshFor });
    // Every approver's 1:1 card shows the same thing but its refresh: drawn once for all of them.
    let card = this.drawn.get(request);
    if (!card) {
      card = approvalCard(this.approverStrings, request);
      this.drawn.set(request, card);
    }
    return withApprovalRefresh(card, request, refreshFor);
  }

  /**
   * Runs `send` in the person's own chat and returns its address: their stored reference; else a
   * chat opened on `via`'s serviceUrl (the bot's known one; Teams returns the existing 1:1 chat);
   * else, when Teams refuses (403: the app is not installed for them), after installing the app.
   */
  private async reach(userId: string, via: ChatAddress, send: PersonalSend): Promise<ChatAddress> {
    const stored = await this.storedChat(userId);
    if (stored) {
      try {
        await this.inChat(stored, (context) => send(context, stored.userId ?? userId));
        return stored;
      } catch (err) {
        // Gone (uninstalled without us hearing it, say): open it again below, on their own serviceUrl.
        if (!(err instanceof PermanentDeliveryError)) throw err;
      }
    }
    const base: ChatAddress = stored ?? via;
    let conversationId = this.chats.get(base.serviceUrl, base.tenantId, userId);
    if (conversationId !== undefined) {
      try {
        await this.inChat({ ...base, conversationId, userId }, (context) => send(context, userId));
        return { ...base, conversationId, userId };
      } catch (err) {
        // Gone (the bot was removed and added again, say): create the chat again, once. Anything
        // else is the caller's to retry, and the chat is still the right one.
        if (!(err instanceof PermanentDeliveryError)) throw err;
        this.chats.forget(base.serviceUrl, base.tenantId, userId);
      }
    }
    // Another send is opening this chat right now (fan-outs of requests submitted together): its
    // chat is the one Teams would return, so wait for it instead of opening it once per send.
    const key = chatKey(base, userId);
    const opening = this.opening.get(key);
    if (opening) {
      await opening.catch(() => undefined);
      const opened = this.chats.get(base.serviceUrl, base.tenantId, userId);
      if (opened !== undefined) {
        await this.inChat({ ...base, conversationId: opened, userId }, (context) => send(context, userId));
        return { ...base, conversationId: opened, userId };
      }
    }
    try {
      // Remembered as soon as it is open, before anyone waiting on it looks.
      const attempt = this.openConversation(base, { isGroup: false, members: [{ id: userId, name: '' }] }, (context) =>
        send(context, userId),
      ).then((id) => {
        this.chats.set(base.serviceUrl, base.tenantId, userId, id);
        return id;
      });
      this.opening.set(key, attempt);
      try {
        conversationId = await attempt;
      } finally {
        if (this.opening.get(key) === attempt) this.opening.delete(key);
      }
    } catch (err) {
      const status = permanentRefusalStatus(err);
      if (status === undefined) throw err;
      if (status === 403 && this.options.installer) return this.installAndSend(userId, base, send);
      const why = status === 403 ? ': the app is not installed for them (set TEAMS_APP_ID to let the bot install it)' : '';
      throw new PermanentDeliveryError(status, `Teams refused to open a chat with them (HTTP ${status})${why}`);
    }
    this.chats.set(base.serviceUrl, base.tenantId, userId, conversationId);
    return { ...base, conversationId, userId };
  }

  /** Installs the app for the person; already installed (409): posts in the chat Graph names. */
  private async installAndSend(userId: string, base: ChatAddress, send: PersonalSend): Promise<ChatAddress> {
    const key = userId.toLowerCase();
    const refused = this.refusedInstalls.get(key);
    if (refused && Date.now() - refused.at < INSTALL_REFUSAL_MEMORY_MS) throw refused.error;
    let outcome;
    try {
      outcome = await this.options.installer!.install(userId);
    } catch (err) {
      if (!(err instanceof PermanentInvitationError)) throw err;
      const error = new PermanentDeliveryError(
        err.httpStatus,
        `Teams refused to open a chat with them (HTTP 403: the app is not installed for them) and Microsoft Graph refused to install it (HTTP ${err.httpStatus} ${err.code})`,
      );
      this.refusedInstalls.set(key, { error, at: Date.now() });
      throw error;
    }
    this.refusedInstalls.delete(key);
    // Teams announces the installation (installationUpdate) with their chat: the delivery follows then.
    if (outcome.kind === 'installed') throw new AwaitingInstallation(userId);
    if (!outcome.chatId)
      throw new PermanentDeliveryError(403, 'Teams refused to open a chat with them, although the app is installed for them');
    const address = { ...base, conversationId: outcome.chatId, userId };
    await this.inChat(address, (context) => send(context, userId));
    this.chats.set(base.serviceUrl, base.tenantId, userId, outcome.chatId);
    return address;
  }

  /** The person's stored chat; a storage failure only costs the fallback. */
  private async storedChat(userId: string): Promise<ChatAddress | undefined> {
    if (!this.options.chats) return undefined;
    try {
      return await this.options.chats.get(userId);
    } catch (err) {
      this.options.log?.warn(
        { userId, err: err instanceof Error ? err.message : String(err) },
        'conversation reference not read; using the known chat',
      );
      return undefined;
    }
  }

  /** Runs `logic` in the person's stored chat, else (none, or refused for good) in `fallback`. */
  private async inPersonalChat(userId: string, fallback: ChatAddress, logic: (context: TurnContext) => Promise<void>): Promise<void> {
    const stored = await this.storedChat(userId);
    if (stored && !(stored.serviceUrl === fallback.serviceUrl && stored.conversationId === fallback.conversationId)) {
      try {
        await this.inChat(stored, logic);
        return;
      } catch (err) {
        if (!(err instanceof PermanentDeliveryError)) throw err;
      }
    }
    await this.inChat(fallback, logic);
  }

  private openConversation(
    via: ChatAddress,
    shape: Partial<ConversationParameters>,
    logic?: (context: TurnContext) => Promise<void>,
  ): Promise<string> {
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
            const permanent = permanentRefusalStatus(error);
            throw permanent === undefined ? error : new PermanentDeliveryError(permanent, `Teams refused the message (HTTP ${permanent})`);
          }
        },
      ),
    );
  }
}

function chatKey(base: ChatAddress, userId: string): string {
  return `${base.serviceUrl}\n${base.tenantId ?? ''}\n${userId.toLowerCase()}`;
}
