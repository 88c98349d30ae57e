/**
 * The Teams activity handler: checks who and where an activity comes from, then hands typed
 * commands and card verbs to their handlers (routes.ts). No business rules live here.
 */
import {
  type Activity,
  type BotAdapter,
  CardFactory,
  type ConversationParameters,
  type InvokeResponse,
  MessageFactory,
  TeamsActivityHandler,
  type TurnContext,
} from 'botbuilder';
import { stringsFor, type Strings } from '../cards/i18n';
import { helpCard } from '../cards/views/helpView';
import { showsApproverCommands } from './commands/help';
import { Coalesced } from './coalesced';
import type { AdaptiveCard } from '../cards/render';
import type { ChatAddress } from '../domain/guestRequest';
import type { Logger } from '../domain/ports';
import { recordTeamEvent } from '../domain/usecases/teamInstallations';
import { deliverAwaiting, mayHaveAwaitingDeliveries, recordPersonalChat } from '../domain/usecases/personalChats';
import { personalChatEventOf } from './events/personalChat';
import { addressOf, tenantOf } from './chatAddress';
import { teamEventOf } from './events/teamInstallation';
import { type BotServices, type CommandReply, inApprovalChannel } from './handler';
import { errorText } from '../domain/usecases/audit';
import { invokeResponseFor } from './invokeResponse';
import { actionFor, answersInSharedChats, commandOf, COMMANDS, sharedChatRule } from './routes';
import { isPersonal, turnInfo, type TurnInfo } from './turnInfo';
import { logUndelivered } from './undelivered';

/** Starts a conversation from the bot's side and runs `logic` in it; resolves with its id. */
export type OpenConversation = (
  adapter: Pick<BotAdapter, 'createConversationAsync'>,
  appId: string,
  via: ChatAddress,
  shape: Partial<ConversationParameters>,
  logic?: (context: TurnContext) => Promise<void>,
) => Promise<string>;

/** Deadlines on a turn's work (the adapters' implementation, handed in by the composition root). */
export interface TurnDeadlines {
  /** Runs `work` within `ms`, aborting the outbound calls it still has in flight when time runs out. */
  readonly within: <T>(ms: number, what: string, work: () => Promise<T>) => Promise<T>;
  /** Whether `err` is the error `within` rejects with when time ran out. */
  readonly isExceeded: (err: unknown) => boolean;
  /** Whether the innermost `within` around the caller has run out (its calls fail as aborted). */
  readonly expired: () => boolean;
}

export interface BotOptions {
  /** Empty = no tenant check (local mode only). */
  readonly tenantId: string;
  readonly log: Logger;
  /** The bot's app id ('' in local mode), for opening a personal chat from a team channel. */
  readonly appId?: string;
  /**
   * A card action is answered within this, whatever hangs (default DEFAULT_INVOKE_BUDGET_MS); what
   * it still has in flight then is aborted, and the user is told nothing changed.
   */
  readonly invokeBudgetMs?: number;
  /**
   * A typed command is answered within this (default DEFAULT_MESSAGE_BUDGET_MS): what it still has
   * in flight then is aborted, and the user is told to try again.
   */
  readonly messageBudgetMs?: number;
  readonly deadlines: TurnDeadlines;
  /** The Teams adapter's openConversation, handed in by the composition root (the bot imports no adapter). */
  readonly openConversation: OpenConversation;
}

/** The only Bot Framework channel acted on: Teams vouches for who sent an activity. */
const TEAMS_CHANNEL = 'msteams';

/** Teams gives up on an invoke after about 15 s and shows an error; the answer comes well before. */
export const DEFAULT_INVOKE_BUDGET_MS = 8000;

/**
 * A typed command's turn ends within this: the Bot Connector waits for the turn's HTTP answer and
 * may send the message again when it takes too long, and a turn in progress narrows the background
 * lane (backgroundLane.ts), so none may last for ever.
 */
export const DEFAULT_MESSAGE_BUDGET_MS = 10_000;

/** The time-out note after a command ran out of time: a call of its own, with a short deadline. */
const NOTE_BUDGET_MS = 5000;

export class GuestAccessBot extends TeamsActivityHandler {
  /** One walk over the pending requests for any number of approvers' installations arriving together. */
  private readonly awaiting: Coalesced;

  constructor(
    private readonly services: BotServices,
    private readonly options: BotOptions,
  ) {
    super();
    this.awaiting = new Coalesced(() => deliverAwaiting(services.wf));
    this.onMessage(async (context, next) => {
      await this.handleMessage(context);
      await next();
    });
    // Team scope: the bot learns the teams it is in (installed, removed, renamed, deleted).
    this.onConversationUpdate(async (context, next) => {
      const event = teamEventOf(context.activity);
      if (event) {
        await recordTeamEvent(this.services.wf, event).catch((err: unknown) =>
          this.options.log.error({ activityId: context.activity.id, kind: event.kind, err: errorText(err) }, 'team registry not updated'),
        );
      }
      await next();
    });
    this.onMembersAdded(async (context, next) => {
      const botId = context.activity.recipient?.id;
      // Welcome once, when the bot itself is added to a personal chat (in a team it stays quiet:
      // requests are made in private).
      if (isPersonal(context.activity) && (context.activity.membersAdded ?? []).some((member) => member.id === botId)) {
        const userId = turnInfo(context.activity)?.user.id;
        const isApprover = userId !== undefined && (await showsApproverCommands(this.services, userId));
        await this.send(context, { cards: [helpCard(stringsFor(localeOf(context.activity)), { welcome: true, isApprover })] });
      }
      await next();
    });
  }

  override async run(context: TurnContext): Promise<void> {
    if (context.activity.channelId !== TEAMS_CHANNEL) {
      // Direct Line, Web Chat, the emulator…: their clients choose their own `from`, so nothing
      // they send is acted on. Nothing is posted back either (the answer to an invoke is the HTTP
      // response): this warning is the only trace.
      const channel = typeof context.activity.channelId === 'string' ? context.activity.channelId.slice(0, 64) : undefined;
      this.options.log.warn(
        { activityId: context.activity.id, channel, type: context.activity.type },
        'activity from a channel other than Teams refused',
      );
      if (context.activity.type === 'invoke') {
        await context.sendActivity({
          type: 'invokeResponse',
          value: invokeResponseFor({ text: stringsFor(localeOf(context.activity)).messages.teamsOnly }),
        });
      }
      return;
    }
    if (!this.fromOurTenant(context.activity)) {
      const { notOurTenant } = stringsFor(localeOf(context.activity)).messages;
      this.options.log.warn({ activityId: context.activity.id, type: context.activity.type }, 'activity from another tenant refused');
      if (context.activity.type === 'invoke') {
        await context.sendActivity({ type: 'invokeResponse', value: invokeResponseFor({ text: notOurTenant }) });
      } else if (context.activity.type === 'message') {
        await context.sendActivity(notOurTenant);
      }
      return;
    }
    await this.notePersonalChat(context.activity);
    const started = Date.now();
    try {
      await super.run(context);
    } finally {
      // One line per turn, so an operator can follow an activity id through the logs.
      const { id, type, name } = context.activity;
      const verb = (context.activity.value as { action?: { verb?: unknown } } | undefined)?.action?.verb;
      this.options.log.info(
        { activityId: id, type, name, verb: typeof verb === 'string' ? verb.slice(0, 64) : undefined, ms: Date.now() - started },
        'turn',
      );
    }
  }

  protected override async onInvokeActivity(context: TurnContext): Promise<InvokeResponse> {
    if (context.activity.name !== 'adaptiveCard/action') {
      // botbuilder answers 501 to every invoke no handler takes (also to one without a name) and
      // throws on some malformed values: the caller's mistake, answered 400, not a server fault.
      const response = await super.onInvokeActivity(context).catch((err: unknown) => {
        this.options.log.warn({ activityId: context.activity.id, err: errorText(err) }, 'invoke not handled');
        return { status: 501 };
      });
      return response.status === 501
        ? { status: 400, body: { error: { code: 'BadRequest', message: 'This invoke is not supported' } } }
        : response;
    }
    const t = stringsFor(localeOf(context.activity));
    // Shape checks by hand: botbuilder's own parsing throws (→ 500) on a value without `action`.
    const value = context.activity.value as { action?: { type?: unknown; verb?: unknown; data?: unknown } } | undefined;
    const action = typeof value === 'object' && value !== null ? value.action : undefined;
    if (typeof action !== 'object' || action === null || action.type !== 'Action.Execute') {
      return invokeResponseFor({ text: t.messages.actionUnsupported });
    }
    const handler = actionFor(action.verb);
    if (!handler) return invokeResponseFor({ text: t.messages.cardOutdated });
    const turn = turnInfo(context.activity);
    if (!turn) return invokeResponseFor({ text: t.messages.noIdentity });
    const data =
      typeof action.data === 'object' && action.data !== null && !Array.isArray(action.data)
        ? (action.data as Record<string, unknown>)
        : {};
    // In a channel or group chat, a verb whose answer carries guest details answers with a pointer
    // to the 1:1 chat (routes.ts, IN_SHARED_CHATS).
    const rule = turn.personal ? 'here' : sharedChatRule(action.verb as string);
    if (rule === 'pointer' || (rule === 'approvalChannel' && !inApprovalChannel(this.services.wf, turn))) {
      return invokeResponseFor({ text: t.messages.privateChatOnly });
    }
    const budgetMs = this.options.invokeBudgetMs ?? DEFAULT_INVOKE_BUDGET_MS;
    try {
      // At the budget, the storage and Teams calls still in flight for this click are aborted and
      // none is sent afterwards, so the answer "nothing changed" holds (but for a write the service
      // had already received: trying again is safe, see README.md, Reliability).
      const answer = await this.options.deadlines.within(budgetMs, `card action ${String(action.verb)}`, async () => {
        const reply = await handler({ ...this.services, turn, t, data });
        if (rule === 'private' && 'card' in reply) {
          await this.sendPrivately(context, [reply.card]);
          return { text: t.messages.sentPrivately };
        }
        if (reply.followUp) await this.send(context, reply.followUp);
        return reply;
      });
      return invokeResponseFor(answer);
    } catch (err) {
      if (this.options.deadlines.isExceeded(err)) {
        this.options.log.warn(
          { activityId: context.activity.id, verb: action.verb, err: errorText(err) },
          'card action not finished in time',
        );
        return invokeResponseFor({ text: t.messages.notInTimeNothingChanged });
      }
      this.options.log.error({ activityId: context.activity.id, verb: action.verb, err: errorText(err) }, 'card action failed');
      return invokeResponseFor({ text: t.messages.somethingWrongNothingChanged });
    }
  }

  private async handleMessage(context: TurnContext): Promise<void> {
    const command = commandOf(context.activity.text);
    const t = stringsFor(localeOf(context.activity));
    const turn = turnInfo(context.activity);
    if (!turn) {
      await context.sendActivity(t.messages.noIdentity);
      return;
    }
    const { within, isExceeded } = this.options.deadlines;
    try {
      await within(this.options.messageBudgetMs ?? DEFAULT_MESSAGE_BUDGET_MS, `command ${command ?? '(not understood)'}`, () =>
        this.answerCommand(context, turn, t, command),
      );
    } catch (err) {
      if (!isExceeded(err)) throw err;
      // Its calls still in flight were aborted with the budget: the note is a call of its own.
      this.options.log.warn({ activityId: context.activity.id, command, err: errorText(err) }, 'command not finished in time');
      await within(NOTE_BUDGET_MS, 'command time-out note', () => context.sendActivity(t.messages.commandNotInTime)).catch(
        (failed: unknown) => logUndelivered(this.options.log, context.activity, failed, { command }),
      );
    }
  }

  /** Runs a typed command and sends its answer (a failure of either is logged here, once). */
  private async answerCommand(context: TurnContext, turn: TurnInfo, t: Strings, command: string | undefined): Promise<void> {
    // Once the budget has run out, what fails is the budget's to report (handleMessage), once.
    const { isExceeded, expired } = this.options.deadlines;
    const outOfTime = (err: unknown) => isExceeded(err) || expired();
    const handler = command ? COMMANDS[command] : undefined;
    let reply: CommandReply;
    try {
      reply = handler
        ? await handler({ ...this.services, turn, t })
        : {
            text: t.messages.notUnderstood,
            cards: [helpCard(t, { isApprover: await showsApproverCommands(this.services, turn.user.id) })],
          };
    } catch (err) {
      if (outOfTime(err)) throw err;
      this.options.log.error({ activityId: context.activity.id, command, err: errorText(err) }, 'command failed');
      reply = { text: t.messages.somethingWrong };
    }
    // In a channel or group chat, lists (guests' details) go to the sender's 1:1 chat; the
    // conversation only learns that they were sent.
    const shared = !turn.personal && command !== undefined && !answersInSharedChats(command) && (reply.cards ?? []).length > 0;
    // A reply that does not arrive is logged here, once: the turn has nothing left to tell anyone.
    await this.send(
      context,
      shared
        ? {
            text: t.messages.sentPrivately,
            privateText: reply.text,
            privateCards: [...(reply.privateCards ?? []), ...(reply.cards ?? [])],
          }
        : reply,
    ).catch((err: unknown) => {
      if (outOfTime(err)) throw err;
      logUndelivered(this.options.log, context.activity, err, { command });
    });
  }

  private async send(context: TurnContext, reply: CommandReply): Promise<void> {
    if (reply.privateCards && reply.privateCards.length > 0) {
      await this.sendPrivately(context, reply.privateCards, reply.privateText);
    }
    const attachments = (reply.cards ?? []).map((card) => CardFactory.adaptiveCard(card));
    // Several cards (the pending list) stack as a list; one card is a plain attachment.
    const activity: Partial<Activity> =
      attachments.length > 1
        ? MessageFactory.list(attachments, reply.text)
        : attachments.length === 1
          ? MessageFactory.attachment(attachments[0]!, reply.text)
          : MessageFactory.text(reply.text ?? '');
    await context.sendActivity(activity);
  }

  /** Opens (or finds: Teams returns the same one) the sender's 1:1 chat with the bot and posts there. */
  private async sendPrivately(context: TurnContext, cards: readonly AdaptiveCard[], text?: string): Promise<void> {
    const { activity } = context;
    const members = [{ id: activity.from.aadObjectId ?? activity.from.id, name: '' }];
    await this.options.openConversation(
      context.adapter,
      this.options.appId ?? '',
      addressOf(activity),
      { isGroup: false, members },
      async (personal) => {
        if (text) await personal.sendActivity(MessageFactory.text(text));
        for (const card of cards) await personal.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(card)));
      },
    );
  }

  /**
   * Keeps the person's own chat (their conversation reference) up to date. An installation or
   * removal is recorded before the turn goes on, and an installation sends what waited for it
   * (AwaitingInstallation); any other personal activity refreshes it in the background (the store
   * skips writes that change nothing).
   */
  private async notePersonalChat(activity: Activity): Promise<void> {
    const event = personalChatEventOf(activity);
    if (!event) return;
    const { wf, background } = this.services;
    const failed = (err: unknown) =>
      this.options.log.error({ activityId: activity.id, kind: event.kind, err: errorText(err) }, 'personal chat not recorded');
    if (event.kind === 'seen') {
      background.run('personalChat', () => recordPersonalChat(wf, event).catch(failed));
      return;
    }
    const reachable = await recordPersonalChat(wf, event).catch((err: unknown) => {
      failed(err);
      return false;
    });
    if (reachable) {
      background.run('deliverAwaiting', async () => {
        if (await mayHaveAwaitingDeliveries(wf, event.userId)) await this.awaiting.request();
      });
    }
  }

  private fromOurTenant(activity: Activity): boolean {
    if (!this.options.tenantId) return true;
    return tenantOf(activity).toLowerCase() === this.options.tenantId.toLowerCase();
  }
}

/** The client's locale ("de-DE"), if the activity carries a sensible one. */
function localeOf(activity: Activity): string | undefined {
  const locale: unknown = activity.locale;
  return typeof locale === 'string' && locale.length <= 20 ? locale : undefined;
}
