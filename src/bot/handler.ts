/** The shapes every command and card-action handler shares. Handlers return data; the bot sends it. */
import type { Strings } from '../cards/i18n/strings';
import type { AdaptiveCard } from '../cards/render';
import type { Workflow } from '../domain/usecases/workflow';
import type { BackgroundWork } from './backgroundWork';
import type { TurnInfo } from './turnInfo';

export interface BotServices {
  readonly wf: Workflow;
  readonly background: BackgroundWork;
}

export interface CommandContext extends BotServices {
  readonly turn: TurnInfo;
  /** The words in the user's language (from the activity's locale). */
  readonly t: Strings;
}

export interface ActionContext extends CommandContext {
  /** Action.Execute data merged with the card's inputs. Hostile: check every field's type. */
  readonly data: Readonly<Record<string, unknown>>;
}

/** What a typed command answers: a text, cards, or both. */
export interface CommandReply {
  readonly text?: string;
  readonly cards?: readonly AdaptiveCard[];
  /** Cards for the sender's personal chat with the bot (the command came from a team channel). */
  readonly privateCards?: readonly AdaptiveCard[];
  /** A text sent to the sender's personal chat before `privateCards`. */
  readonly privateText?: string;
}

/**
 * What a card action answers: a card that replaces the clicked one, or a message; `followUp` is a
 * message sent to the conversation as well (a page of several cards, which one answer cannot hold).
 */
export type ActionReply = ({ readonly card: AdaptiveCard } | { readonly text: string }) & { readonly followUp?: CommandReply };

export type CommandHandler = (ctx: CommandContext) => Promise<CommandReply>;
export type ActionHandler = (ctx: ActionContext) => Promise<ActionReply>;

/**
 * The turn comes from the configured approvers' channel (APPROVAL_CHANNEL_ID): the one shared
 * conversation where approval cards (read-only, with per-user refresh) are shown.
 */
export function inApprovalChannel(wf: Workflow, turn: TurnInfo): boolean {
  return Boolean(wf.approvalChannelId) && turn.channel === wf.approvalChannelId;
}

const REQUEST_ID = /^[A-Za-z0-9-]{1,64}$/;

/** The request id named in action data, if it is well-formed; anything else is treated as absent. */
export function requestIdFrom(data: Readonly<Record<string, unknown>>): string | undefined {
  const value = data.requestId;
  return typeof value === 'string' && REQUEST_ID.test(value) ? value : undefined;
}

export function stringFrom(data: Readonly<Record<string, unknown>>, key: string): string | undefined {
  const value = data[key];
  return typeof value === 'string' ? value : undefined;
}

/**
 * The refresh an approval card answered in the clicker's own 1:1 chat carries: for them alone, as
 * every 1:1 approval card (docs/protocol.md §3); a card answered elsewhere (a channel) gets none.
 */
export function ownCardRefresh(turn: TurnInfo): readonly string[] | undefined {
  return turn.personal ? [turn.address.userId ?? turn.user.id] : undefined;
}

/**
 * The approval card an invoke's answer replaces (the message holding the button, its replyToId), as
 * the domain's CardsShown: not updated again through the connector. Only a 1:1 chat's card; the
 * domain matches it against that approver's own card, so a forged id changes nothing else.
 */
export function answeredCard(turn: TurnInfo): { readonly answered?: { approverId: string; activityId: string } } {
  return turn.personal && turn.replyToId ? { answered: { approverId: turn.user.id, activityId: turn.replyToId } } : {};
}
