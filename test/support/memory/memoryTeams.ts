/**
 * The team ports in memory: a TeamRegistry (a map by team id) and TeamGroups with members and
 * addMember answers the test sets (default 'added'; an Error is thrown: PermanentInvitationError
 * for a refusal for good, anything else is transient). addMember calls are recorded.
 */
import type { RegisteredTeam, TeamGroups, TeamRegistry } from '../../../src/domain/teams';
import { jsonCopy } from './jsonCopy';
import { yieldTurn } from './yieldTurn';

export class MemoryTeamRegistry implements TeamRegistry {
  private readonly teams = new Map<string, RegisteredTeam>();

  async register(team: RegisteredTeam): Promise<void> {
    await yieldTurn();
    this.teams.set(team.teamId, jsonCopy(team));
  }

  async unregister(teamId: string): Promise<void> {
    await yieldTurn();
    this.teams.delete(teamId);
  }

  async rename(teamId: string, name: string): Promise<void> {
    await yieldTurn();
    const team = this.teams.get(teamId);
    if (team) this.teams.set(teamId, { ...team, name });
  }

  async list(): Promise<readonly RegisteredTeam[]> {
    await yieldTurn();
    return [...this.teams.values()].map(jsonCopy);
  }
}

export type AddMemberAnswer = 'added' | 'alreadyMember' | Error;

export class ScriptedTeamGroups implements TeamGroups {
  private readonly members = new Map<string, Set<string>>();
  private readonly answers = new Map<string, AddMemberAnswer[]>();
  readonly added: Array<{ groupId: string; userId: string }> = [];

  /** Makes these people members of the group (as Graph's transitive members would list them). */
  setMembers(groupId: string, memberIds: readonly string[]): this {
    this.members.set(groupId.toLowerCase(), new Set(memberIds));
    return this;
  }

  /** What addMember answers for this group, call after call (the last answer repeats). */
  answerAdd(groupId: string, ...answers: AddMemberAnswer[]): this {
    this.answers.set(groupId.toLowerCase(), answers);
    return this;
  }

  async memberIds(groupId: string): Promise<ReadonlySet<string>> {
    await yieldTurn();
    return new Set(this.members.get(groupId.toLowerCase()) ?? []);
  }

  async addMember(groupId: string, userId: string): Promise<'added' | 'alreadyMember'> {
    await yieldTurn();
    this.added.push({ groupId, userId });
    const queue = this.answers.get(groupId.toLowerCase()) ?? [];
    const answer = queue.length > 1 ? queue.shift() : queue[0];
    if (answer instanceof Error) throw answer;
    return answer ?? 'added';
  }
}
