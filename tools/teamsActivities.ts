/** Teams-shaped activities, as the Teams service posts them to /api/messages (tests, benchmarks). */
import { randomUUID } from 'node:crypto';

export const TEST_TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
export const BOT = { id: '28:bot-guest-access', name: 'Guest Access' };

export interface TeamsPerson {
  readonly aadObjectId: string;
  readonly name: string;
  readonly tenantId?: string;
  /** The Teams client's locale; en-US when absent. */
  readonly locale?: string;
}

/** The people of the local sandbox, the tests and npm run chaos (the Playground's users too). */
export const RITA: TeamsPerson = { aadObjectId: '11111111-1111-4111-8111-111111111111', name: 'Rita Requester' };
export const ANNA: TeamsPerson = { aadObjectId: '22222222-2222-4222-8222-222222222222', name: 'Anna Approver' };
export const BEN: TeamsPerson = { aadObjectId: '33333333-3333-4333-8333-333333333333', name: 'Ben Approver' };

export interface HttpAnswer {
  readonly status: number;
  readonly body: any;
}

/**
 * POSTs an activity (or any body: a string is sent as it is) to a bot's /api/messages; the answer
 * body is parsed as JSON when it is JSON, else kept as text.
 */
export async function postActivity(
  botUrl: string,
  body: unknown,
  options: { headers?: Record<string, string>; timeoutMs?: number } = {},
): Promise<HttpAnswer> {
  const response = await fetch(`${botUrl}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...options.headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
    ...(options.timeoutMs ? { signal: AbortSignal.timeout(options.timeoutMs) } : {}),
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON: keep the text
  }
  return { status: response.status, body: parsed };
}

export function userId(person: TeamsPerson): string {
  return `29:${person.aadObjectId}`;
}

/** The fields every activity from this person carries (a personal chat unless overridden). */
export function activityBase(person: TeamsPerson, serviceUrl: string) {
  const tenantId = person.tenantId ?? TEST_TENANT;
  return {
    id: randomUUID(),
    timestamp: new Date().toISOString(),
    serviceUrl,
    channelId: 'msteams',
    from: { id: userId(person), name: person.name, aadObjectId: person.aadObjectId },
    conversation: { conversationType: 'personal', tenantId, id: `a:personal-${person.aadObjectId}` },
    recipient: BOT,
    locale: person.locale ?? 'en-US',
    channelData: { tenant: { id: tenantId } },
  };
}

export function messageActivity(person: TeamsPerson, serviceUrl: string, text: string): Record<string, unknown> {
  return { ...activityBase(person, serviceUrl), type: 'message', text, textFormat: 'plain' };
}

export function cardActionActivity(
  person: TeamsPerson,
  serviceUrl: string,
  verb: string,
  data: Record<string, unknown>,
): Record<string, unknown> {
  return {
    ...activityBase(person, serviceUrl),
    type: 'invoke',
    name: 'adaptiveCard/action',
    value: { action: { type: 'Action.Execute', id: randomUUID(), verb, data }, trigger: 'manual' },
  };
}

export function installActivity(person: TeamsPerson, serviceUrl: string): Record<string, unknown> {
  return { ...activityBase(person, serviceUrl), type: 'conversationUpdate', membersAdded: [{ id: BOT.id }] };
}

/** Teams' installationUpdate in personal scope: the app installed for (add) or removed by (remove) the person. */
export function installationUpdateActivity(person: TeamsPerson, serviceUrl: string, action: 'add' | 'remove'): Record<string, unknown> {
  return { ...activityBase(person, serviceUrl), type: 'installationUpdate', action };
}
