/**
 * The team a Teams activity comes from (channelData.team), read defensively: present only in team
 * conversations (channels), absent in personal chats.
 */
import type { Activity } from 'botbuilder';

export interface TeamContext {
  /** Teams' thread id of the team ("19:…@thread.tacv2"). */
  readonly teamId: string;
  /** The team's Microsoft 365 group (Entra object id), when Teams says. */
  readonly groupId?: string;
  readonly name?: string;
}

const MAX_ID = 200;
const MAX_NAME = 256;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function teamOf(activity: Partial<Activity>): TeamContext | undefined {
  const team = (activity.channelData as { team?: { id?: unknown; aadGroupId?: unknown; name?: unknown } } | undefined)?.team;
  if (typeof team !== 'object' || team === null) return undefined;
  const teamId = typeof team.id === 'string' ? team.id.trim() : '';
  if (!teamId || teamId.length > MAX_ID) return undefined;
  const groupId = typeof team.aadGroupId === 'string' && GUID.test(team.aadGroupId.trim()) ? team.aadGroupId.trim() : undefined;
  const name = typeof team.name === 'string' && team.name.trim() ? team.name.trim().slice(0, MAX_NAME) : undefined;
  return { teamId, groupId, name };
}

/** The Teams channel a turn happened in (channelData.channel.id), absent outside channels. */
export function channelOf(activity: Partial<Activity>): string | undefined {
  const channel = (activity.channelData as { channel?: { id?: unknown } } | undefined)?.channel;
  const id = typeof channel === 'object' && channel !== null && typeof channel.id === 'string' ? channel.id.trim() : '';
  return id && id.length <= MAX_ID ? id : undefined;
}
