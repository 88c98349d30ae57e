/**
 * The teams the bot is installed in, and their Microsoft 365 groups: the ports behind "add the
 * guest to a team". Pure types, no framework.
 */

/** A team the bot was added to, as Teams announced it (conversationUpdate in team scope). */
export interface RegisteredTeam {
  /** Teams' thread id of the team ("19:…@thread.tacv2"). */
  readonly teamId: string;
  /** The team's Microsoft 365 group (Entra object id): where members are added. */
  readonly groupId: string;
  readonly name: string;
  readonly registeredAt: string;
}

/** Where the bot keeps the teams it is installed in (shared by every instance). */
export interface TeamRegistry {
  /** Adds or replaces the team. */
  register(team: RegisteredTeam): Promise<void>;
  /** Forgets the team; a no-op when it is not registered. */
  unregister(teamId: string): Promise<void>;
  /** Renames a registered team; a no-op when it is not registered. */
  rename(teamId: string, name: string): Promise<void>;
  list(): Promise<readonly RegisteredTeam[]>;
}

/**
 * The team's group in the directory. Errors are the directory's: PermanentInvitationError for a
 * refusal retrying will not fix, anything else is transient.
 */
export interface TeamGroups {
  /** Object ids of the group's members, nested groups included (may be cached for minutes). */
  memberIds(groupId: string): Promise<ReadonlySet<string>>;
  /** Adds the user; being a member already is an answer, not an error. */
  addMember(groupId: string, userId: string): Promise<'added' | 'alreadyMember'>;
}
