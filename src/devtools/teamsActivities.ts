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

export function cardActionActivity(person: TeamsPerson, serviceUrl: string, verb: string, data: Record<string, unknown>): Record<string, unknown> {
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
