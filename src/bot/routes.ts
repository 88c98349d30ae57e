/**
 * The one place where typed commands and card verbs meet their handlers. To find what a button
 * does, look here.
 */
import { approve, deny } from './actions/decide';
import { cancelRequest } from './actions/cancelRequest';
import { morePending } from './actions/morePending';
import { myRequestsPage } from './actions/myRequestsPage';
import { openRequestForm } from './actions/openRequestForm';
import { refreshApproval } from './actions/refreshApproval';
import { refreshStatus } from './actions/refreshStatus';
import { retryInvitation } from './actions/retryInvitation';
import { submitRequest } from './actions/submitRequest';
import { helpCommand } from './commands/help';
import { myRequestsCommand } from './commands/myRequests';
import { pendingCommand } from './commands/pending';
import { requestCommand } from './commands/request';
import type { ActionHandler, CommandHandler } from './handler';

export const COMMANDS: Readonly<Record<string, CommandHandler>> = {
  request: requestCommand,
  'my requests': myRequestsCommand,
  pending: pendingCommand,
  help: helpCommand,
  // German aliases: the manifest's German localization (manifest/de-de.json) lists these.
  anfrage: requestCommand,
  'meine anfragen': myRequestsCommand,
  offen: pendingCommand,
  hilfe: helpCommand,
};

export const CARD_ACTIONS = {
  openRequestForm,
  submitRequest,
  approve,
  deny,
  retryInvitation,
  cancelRequest,
  myRequests: myRequestsPage,
  morePending,
  refreshApproval,
  refreshStatus,
} as const satisfies Readonly<Record<string, ActionHandler>>;

/**
 * How each card verb answers in a channel or group chat, where everyone reads along: nothing with
 * a guest's details is shown there (SECURITY.md, "Guest details in shared conversations").
 * - `here`: the answer carries no guest details (the form verbs refuse outside the 1:1 chat themselves);
 * - `approvalChannel`: answered only in the configured approvers' channel (APPROVAL_CHANNEL_ID),
 *   elsewhere a pointer to the 1:1 chat and nothing done;
 * - `private`: read-only, its card goes to the caller's 1:1 chat and the conversation gets a pointer;
 * - `pointer`: a pointer to the 1:1 chat, nothing done.
 */
export type SharedChatRule = 'here' | 'approvalChannel' | 'private' | 'pointer';

export const IN_SHARED_CHATS: Readonly<Record<keyof typeof CARD_ACTIONS, SharedChatRule>> = {
  openRequestForm: 'here',
  submitRequest: 'here',
  approve: 'approvalChannel',
  deny: 'approvalChannel',
  retryInvitation: 'approvalChannel',
  refreshApproval: 'approvalChannel',
  cancelRequest: 'pointer',
  // The status card lives in the requester's 1:1 chat; elsewhere it would show guest details to all.
  refreshStatus: 'pointer',
  myRequests: 'private',
  // The pending list (and its Show more) only ever lives in an approver's 1:1 chat.
  morePending: 'pointer',
};

/** Typed commands whose answer holds no guest details, answered where typed; every other command's cards go to the 1:1 chat. */
const SHARED_CHAT_COMMANDS: ReadonlySet<CommandHandler> = new Set([helpCommand, requestCommand]);

export function answersInSharedChats(command: string): boolean {
  const handler = COMMANDS[command];
  return handler !== undefined && SHARED_CHAT_COMMANDS.has(handler);
}

export function sharedChatRule(verb: string): SharedChatRule {
  return Object.prototype.hasOwnProperty.call(IN_SHARED_CHATS, verb) ? IN_SHARED_CHATS[verb as keyof typeof IN_SHARED_CHATS] : 'pointer';
}

const MAX_COMMAND_LENGTH = 200;

/**
 * Turns typed text into a command name: case-insensitive, tolerant of extra spaces, a leading
 * slash, trailing punctuation and the <at>mention</at> Teams adds in group chats.
 */
export function commandOf(text: unknown): string | undefined {
  if (typeof text !== 'string' || text.length > MAX_COMMAND_LENGTH) return undefined;
  const normalised = text
    .replace(/<at>[^<]*<\/at>/gi, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .toLowerCase()
    .replace(/^\s*\//, '')
    .replace(/[.!?]+\s*$/, '')
    .replace(/\s+/g, ' ')
    .trim();
  return Object.prototype.hasOwnProperty.call(COMMANDS, normalised) ? normalised : undefined;
}

export function actionFor(verb: unknown): ActionHandler | undefined {
  return typeof verb === 'string' && Object.prototype.hasOwnProperty.call(CARD_ACTIONS, verb)
    ? CARD_ACTIONS[verb as keyof typeof CARD_ACTIONS]
    : undefined;
}
