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
  if (!isObject(body.conversation) || !shortString(body.conversation.id, 1024)) return { ok: false, problem: 'the activity has no conversation.id' };
  if (!isObject(body.from) || !shortString(body.from.id, 1024)) return { ok: false, problem: 'the activity has no from.id' };
  if (body.recipient !== undefined && !isObject(body.recipient)) return { ok: false, problem: 'recipient must be an object' };
  if (body.text !== undefined && typeof body.text !== 'string') return { ok: false, problem: 'text must be a string' };
  if (body.name !== undefined && typeof body.name !== 'string') return { ok: false, problem: 'name must be a string' };
  if (body.channelData !== undefined && !isObject(body.channelData)) return { ok: false, problem: 'channelData must be an object' };
  return { ok: true };
}
