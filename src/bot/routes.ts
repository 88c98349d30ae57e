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

export const CARD_ACTIONS: Readonly<Record<string, ActionHandler>> = {
  openRequestForm,
  submitRequest,
  approve,
  deny,
  retryInvitation,
  cancelRequest,
  myRequests: myRequestsPage,
  morePending,
  refreshApproval,
};

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
  return typeof verb === 'string' && Object.prototype.hasOwnProperty.call(CARD_ACTIONS, verb) ? CARD_ACTIONS[verb] : undefined;
}
