/**
 * The Teams activity handler: checks who and where an activity comes from, then hands typed
 * commands and card verbs to their handlers (routes.ts). No business rules live here.
 */
import { type Activity, type BotAdapter, CardFactory, type ConversationParameters, type InvokeResponse, MessageFactory, TeamsActivityHandler, type TurnContext } from 'botbuilder';
import { stringsFor } from '../cards/i18n';
import { helpCard } from '../cards/views/helpView';
import type { AdaptiveCard } from '../cards/render';
import type { ChatAddress } from '../domain/guestRequest';
import type { Logger } from '../domain/ports';
import { recordTeamEvent } from '../domain/usecases/teamInstallations';
import { addressOf, tenantOf } from './chatAddress';
import { teamEventOf } from './events/teamInstallation';
import type { BotServices, CommandReply } from './handler';
import { invokeResponseFor } from './invokeResponse';
import { actionFor, commandOf, COMMANDS } from './routes';
import { isPersonal, turnInfo } from './turnInfo';

/** Starts a conversation from the bot's side and runs `logic` in it; resolves with its id. */
export type OpenConversation = (
  adapter: Pick<BotAdapter, 'createConversationAsync'>,
  appId: string,
  via: ChatAddress,
  shape: Partial<ConversationParameters>,
  logic?: (context: TurnContext) => Promise<void>,
) => Promise<string>;

export interface BotOptions {
  /** Empty = no tenant check (local mode only). */
  readonly tenantId: string;
  readonly log: Logger;
  /** The bot's app id ('' in local mode), for opening a personal chat from a team channel. */
  readonly appId?: string;
  /** The Teams adapter's openConversation, handed in by the composition root (the bot imports no adapter). */
  readonly openConversation: OpenConversation;
}

export class GuestAccessBot extends TeamsActivityHandler {
  constructor(
    private readonly services: BotServices,
    private readonly options: BotOptions,
  ) {
    super();
    this.onMessage(async (context, next) => {
      await this.handleMessage(context);
      await next();
    });
    // Team scope: the bot learns the teams it is in (installed, removed, renamed, deleted).
    this.onConversationUpdate(async (context, next) => {
      const event = teamEventOf(context.activity);
      if (event) {
        await recordTeamEvent(this.services.wf, event).catch((err: unknown) =>
          this.options.log.error({ activityId: context.activity.id, kind: event.kind, err: errorMessage(err) }, 'team registry not updated'),
        );
      }
      await next();
    });
    this.onMembersAdded(async (context, next) => {
      const botId = context.activity.recipient?.id;
      // Welcome once, when the bot itself is added to a personal chat (in a team it stays quiet:
      // requests are made in private).
      if (isPersonal(context.activity) && (context.activity.membersAdded ?? []).some((member) => member.id === botId)) {
        await this.send(context, { cards: [helpCard(stringsFor(localeOf(context.activity)), true)] });
      }
      await next();
    });
  }

  override async run(context: TurnContext): Promise<void> {
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
    const started = Date.now();
    try {
      await super.run(context);
    } finally {
      // One line per turn, so an operator can follow an activity id through the logs.
      const { id, type, name } = context.activity;
      const verb = (context.activity.value as { action?: { verb?: unknown } } | undefined)?.action?.verb;
      this.options.log.info({ activityId: id, type, name, verb: typeof verb === 'string' ? verb.slice(0, 64) : undefined, ms: Date.now() - started }, 'turn');
    }
  }

  protected override async onInvokeActivity(context: TurnContext): Promise<InvokeResponse> {
    if (context.activity.name !== 'adaptiveCard/action') {
      // botbuilder answers 501 to every invoke no handler takes (also to one without a name) and
      // throws on some malformed values: the caller's mistake, answered 400, not a server fault.
      const response = await super.onInvokeActivity(context).catch((err: unknown) => {
        this.options.log.warn({ activityId: context.activity.id, err: errorMessage(err) }, 'invoke not handled');
        return { status: 501 };
      });
      return response.status === 501 ? { status: 400, body: { error: { code: 'BadRequest', message: 'This invoke is not supported' } } } : response;
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
    const data = typeof action.data === 'object' && action.data !== null && !Array.isArray(action.data) ? (action.data as Record<string, unknown>) : {};
    try {
      return invokeResponseFor(await handler({ ...this.services, turn, t, data }));
    } catch (err) {
      this.options.log.error({ activityId: context.activity.id, verb: action.verb, err: errorMessage(err) }, 'card action failed');
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
    const handler = command ? COMMANDS[command] : undefined;
    try {
      const reply = handler ? await handler({ ...this.services, turn, t }) : { text: t.messages.notUnderstood, cards: [helpCard(t)] };
      await this.send(context, reply);
    } catch (err) {
      this.options.log.error({ activityId: context.activity.id, command, err: errorMessage(err) }, 'command failed');
      await context.sendActivity(t.messages.somethingWrong);
    }
  }

  private async send(context: TurnContext, reply: CommandReply): Promise<void> {
    if (reply.privateCards && reply.privateCards.length > 0) {
      await this.sendPrivately(context, reply.privateCards);
    }
    const attachments = (reply.cards ?? []).map((card) => CardFactory.adaptiveCard(card));
    // Several cards (the pending list) stack as a list; one card is a plain attachment.
    const activity: Partial<Activity> =
      attachments.length > 1 ? MessageFactory.list(attachments, reply.text) : attachments.length === 1 ? MessageFactory.attachment(attachments[0]!, reply.text) : MessageFactory.text(reply.text ?? '');
    await context.sendActivity(activity);
  }

  /** Opens (or finds: Teams returns the same one) the sender's 1:1 chat with the bot and posts there. */
  private async sendPrivately(context: TurnContext, cards: readonly AdaptiveCard[]): Promise<void> {
    const { activity } = context;
    const members = [{ id: activity.from.aadObjectId ?? activity.from.id, name: '' }];
    await this.options.openConversation(context.adapter, this.options.appId ?? '', addressOf(activity), { isGroup: false, members }, async (personal) => {
      for (const card of cards) await personal.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(card)));
    });
  }

  private fromOurTenant(activity: Activity): boolean {
    if (!this.options.tenantId) return true;
    return tenantOf(activity).toLowerCase() === this.options.tenantId.toLowerCase();
  }
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}

/** The client's locale ("de-DE"), if the activity carries a sensible one. */
function localeOf(activity: Activity): string | undefined {
  const locale: unknown = activity.locale;
  return typeof locale === 'string' && locale.length <= 20 ? locale : undefined;
}
