/**
 * conversationUpdate in team scope → what it means for the team registry: the bot added to a team
 * (teamMemberAdded with the bot among membersAdded), removed from it (teamMemberRemoved with the
 * bot, or teamDeleted / teamHardDeleted), or the team renamed. Anything else means nothing here.
 */
import type { Activity } from 'botbuilder';
import type { TeamEvent } from '../../domain/usecases/teamInstallations';
import { teamOf } from '../teamContext';

export function teamEventOf(activity: Partial<Activity>): TeamEvent | undefined {
  const team = teamOf(activity);
  if (!team) return undefined;
  const eventType = (activity.channelData as { eventType?: unknown } | undefined)?.eventType;
  const botId = activity.recipient?.id;
  const includesBot = (members: unknown) =>
    Array.isArray(members) && members.some((m: { id?: unknown } | null) => !!botId && m?.id === botId);
  switch (eventType) {
    case 'teamMemberAdded':
      if (!includesBot(activity.membersAdded) || !team.groupId) return undefined;
      return { kind: 'installed', teamId: team.teamId, groupId: team.groupId, name: team.name ?? team.teamId };
    case 'teamMemberRemoved':
      return includesBot(activity.membersRemoved) ? { kind: 'removed', teamId: team.teamId } : undefined;
    case 'teamDeleted':
    case 'teamHardDeleted':
      return { kind: 'removed', teamId: team.teamId };
    case 'teamRenamed':
      return team.name ? { kind: 'renamed', teamId: team.teamId, name: team.name } : undefined;
    default:
      return undefined;
  }
}
