/**
 * A cheap structural check of an incoming activity before botbuilder sees it. botbuilder assumes
 * well-formed activities (a missing `type` or `conversation` makes it answer 500); anything that
 * fails here gets a 400 and never reaches the bot.
 */

export type ShapeCheck = { ok: true } | { ok: false; problem: string };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const shortString = (v: unknown, max = 2048): v is string => typeof v === 'string' && v.length > 0 && v.length <= max;

export function checkActivityShape(body: unknown): ShapeCheck {
  if (!isObject(body)) return { ok: false, problem: 'the body must be a JSON object (an activity)' };
  if (!shortString(body.type, 64)) return { ok: false, problem: 'the activity has no type' };
  if (!shortString(body.channelId, 64)) return { ok: false, problem: 'the activity has no channelId' };
  if (!shortString(body.serviceUrl)) return { ok: false, problem: 'the activity has no serviceUrl' };
  try {
    const url = new URL(body.serviceUrl);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') return { ok: false, problem: 'serviceUrl must be an http(s) URL' };
  } catch {
    return { ok: false, problem: 'serviceUrl must be an http(s) URL' };
  }
  if (!isObject(body.conversation) || !shortString(body.conversation.id, 1024))
    return { ok: false, problem: 'the activity has no conversation.id' };
  if (!isObject(body.from) || !shortString(body.from.id, 1024)) return { ok: false, problem: 'the activity has no from.id' };
  if (body.recipient !== undefined && !isObject(body.recipient)) return { ok: false, problem: 'recipient must be an object' };
  // Replies copy these accounts, and botbuilder refuses to serialise a reply whose fields have the wrong type.
  for (const key of ['conversation', 'from', 'recipient']) {
    const account = body[key] as Record<string, unknown> | undefined;
    const bad =
      account &&
      ['id', 'name', 'aadObjectId', 'role', 'conversationType', 'tenantId'].find(
        (f) => account[f] !== undefined && typeof account[f] !== 'string',
      );
    if (bad) return { ok: false, problem: `${key}.${bad} must be a string` };
    if (account && account.isGroup !== undefined && typeof account.isGroup !== 'boolean')
      return { ok: false, problem: `${key}.isGroup must be true or false` };
  }
  // Replies are addressed to the activity id: botbuilder throws (after the turn ran) on a non-string.
  if (body.id !== undefined && !shortString(body.id, 1024)) return { ok: false, problem: 'id must be a string' };
  if (body.text !== undefined && typeof body.text !== 'string') return { ok: false, problem: 'text must be a string' };
  if (body.name !== undefined && typeof body.name !== 'string') return { ok: false, problem: 'name must be a string' };
  if (body.channelData !== undefined && !isObject(body.channelData)) return { ok: false, problem: 'channelData must be an object' };
  // Copied into every reply (botbuilder refuses to serialise a non-string) or iterated by handlers.
  if (body.locale !== undefined && typeof body.locale !== 'string') return { ok: false, problem: 'locale must be a string' };
  for (const key of ['membersAdded', 'membersRemoved', 'entities', 'attachments']) {
    const list = body[key];
    if (list !== undefined && !(Array.isArray(list) && list.every(isObject)))
      return { ok: false, problem: `${key} must be an array of objects` };
  }
  return { ok: true };
}
