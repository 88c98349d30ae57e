/**
 * Who is acting in a turn and where, read only from the activity (which Teams and the Bot Framework
 * token vouch for), never from card data.
 */
import type { Activity } from 'botbuilder';
import type { ChatAddress, Person } from '../domain/guestRequest';
import { canonicalObjectId } from '../domain/identity';
import { addressOf } from './chatAddress';
import { channelOf, teamOf, type TeamContext } from './teamContext';

export interface TurnInfo {
  readonly user: Person;
  readonly address: ChatAddress;
  readonly locale?: string;
  /** The team whose channel the turn happened in; absent in personal chats. */
  readonly team?: TeamContext;
  /** The Teams channel the turn happened in (to recognise APPROVAL_CHANNEL_ID); absent elsewhere. */
  readonly channel?: string;
  /** A 1:1 chat with the bot: the only place a request is made (its details and link are private). */
  readonly personal: boolean;
  /** The message the activity answers (for a card action: the one holding the card). Hostile: the domain checks it. */
  readonly replyToId?: string;
}

const MAX_NAME = 256;

export function turnInfo(activity: Activity): TurnInfo | undefined {
  const from = activity.from as { id?: unknown; name?: unknown; aadObjectId?: unknown } | undefined;
  // The Entra object id is the identity approvers are configured by; without it nobody can be
  // authorised, so such a turn is treated as anonymous. Canonical, so that one person is one id
  // however the client spells it; not a GUID = no identity.
  const id = canonicalObjectId(from?.aadObjectId);
  if (!id) return undefined;
  const name = typeof from?.name === 'string' && from.name.trim() ? from.name.trim().slice(0, MAX_NAME) : 'Unknown user';
  return {
    user: { id, name },
    address: addressOf(activity),
    locale: typeof activity.locale === 'string' ? activity.locale : undefined,
    team: teamOf(activity),
    channel: channelOf(activity),
    personal: isPersonal(activity),
    replyToId: typeof activity.replyToId === 'string' ? activity.replyToId : undefined,
  };
}

/** A 1:1 chat between one user and the bot (not a group chat, not a team channel). */
export function isPersonal(activity: Activity): boolean {
  const conversation = activity.conversation as { conversationType?: unknown; isGroup?: unknown } | undefined;
  if (conversation?.conversationType !== undefined) return conversation.conversationType === 'personal';
  return conversation?.isGroup !== true && teamOf(activity) === undefined;
}
