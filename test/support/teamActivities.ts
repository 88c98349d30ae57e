/** Team-scope activities, shaped as Teams posts them: installs, removals, renames, channel messages. */
import { activityBase } from '../../tools/teamsActivities';
import { BOT, messageActivity, TEST_TENANT, type TeamsPerson } from './teamsActivities';

export interface TestTeam {
  /** Teams' thread id of the team (also its General channel's id). */
  readonly id: string;
  readonly aadGroupId: string;
  readonly name: string;
}

function teamConversation(team: TestTeam) {
  return { conversationType: 'channel', isGroup: true, tenantId: TEST_TENANT, id: team.id };
}

function teamUpdate(person: TeamsPerson, serviceUrl: string, team: TestTeam, eventType: string, extra: Record<string, unknown> = {}) {
  return {
    ...activityBase(person, serviceUrl),
    conversation: teamConversation(team),
    type: 'conversationUpdate',
    channelData: { tenant: { id: TEST_TENANT }, eventType, team: { id: team.id, aadGroupId: team.aadGroupId, name: team.name } },
    ...extra,
  };
}

/** The bot was added to the team (Teams: teamMemberAdded with the bot among membersAdded). */
export function botAddedToTeam(person: TeamsPerson, serviceUrl: string, team: TestTeam): Record<string, unknown> {
  return teamUpdate(person, serviceUrl, team, 'teamMemberAdded', { membersAdded: [{ id: BOT.id }] });
}

export function botRemovedFromTeam(person: TeamsPerson, serviceUrl: string, team: TestTeam): Record<string, unknown> {
  return teamUpdate(person, serviceUrl, team, 'teamMemberRemoved', { membersRemoved: [{ id: BOT.id }] });
}

export function teamRenamed(person: TeamsPerson, serviceUrl: string, team: TestTeam): Record<string, unknown> {
  return teamUpdate(person, serviceUrl, team, 'teamRenamed');
}

/** A message typed in one of the team's channels (Teams names the team, not always its group). */
export function teamMessage(
  person: TeamsPerson,
  serviceUrl: string,
  team: TestTeam,
  text: string,
  withGroupId = true,
): Record<string, unknown> {
  const activity = messageActivity(person, serviceUrl, `<at>Guest Access</at> ${text}`);
  return {
    ...activity,
    conversation: { ...teamConversation(team), id: `${team.id};messageid=${Date.now()}` },
    channelData: {
      tenant: { id: TEST_TENANT },
      team: { id: team.id, ...(withGroupId ? { aadGroupId: team.aadGroupId } : {}) },
      channel: { id: team.id },
    },
  };
}

/** The same activity, sent from a team channel (a post's thread) instead of the personal chat. */
export function inChannel(activity: Record<string, unknown>, channelId: string, teamId = channelId): Record<string, unknown> {
  return {
    ...activity,
    conversation: { conversationType: 'channel', isGroup: true, tenantId: TEST_TENANT, id: `${channelId};messageid=${Date.now()}` },
    channelData: { tenant: { id: TEST_TENANT }, team: { id: teamId }, channel: { id: channelId } },
  };
}

/** The same activity, sent from a group chat instead of the personal chat. */
export function inGroupChat(activity: Record<string, unknown>, chatId: string): Record<string, unknown> {
  return { ...activity, conversation: { conversationType: 'groupChat', isGroup: true, tenantId: TEST_TENANT, id: chatId } };
}
