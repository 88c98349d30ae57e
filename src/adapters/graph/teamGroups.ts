/**
 * The domain's TeamGroups on Microsoft Graph: a team's members are its Microsoft 365 group's
 * transitive members (`GET /groups/{id}/transitiveMembers`, GroupMember.Read.All), cached briefly
 * per group (also the reader behind APPROVER_GROUP_ID, groupApprovers.ts); adding the guest is `POST /groups/{id}/members/$ref`
 * (GroupMember.ReadWrite.All). Errors pass through: the retry policy already made them
 * PermanentInvitationError (a 4xx other than 429) or TransientInvitationError.
 */
import type { Clock } from '../../domain/ports';
import type { TeamGroups } from '../../domain/teams';
import type { AddGroupMemberResult } from './graphDirectory';
import { RecentMap } from '../system/recentMap';

export interface GroupGraph {
  listTransitiveMemberIds(groupId: string): Promise<string[]>;
  addGroupMember(groupId: string, userId: string): Promise<AddGroupMemberResult>;
}

export interface GraphTeamGroupsOptions {
  readonly graph: GroupGraph;
  readonly clock: Clock;
  /** How long a membership read is trusted (default 5 minutes). */
  readonly ttlMs?: number;
}

/** Bounds the cache: one entry per team's group, least recently used out. */
const MAX_CACHED = 1000;

/**
 * And by what the entries hold: member ids in all (each about 100 bytes in a Set), so a tenant of
 * large teams keeps tens of megabytes, not a thousand groups of up to 100 000 members each. A group
 * larger than this alone is read each time it is needed (after the brief sharing of one read).
 */
export const MAX_CACHED_MEMBER_IDS = 200_000;

export class GraphTeamGroups implements TeamGroups {
  private readonly cache = new RecentMap<{ ids: ReadonlySet<string>; at: number }>(MAX_CACHED, {
    maxWeight: MAX_CACHED_MEMBER_IDS,
    weigh: (entry) => entry.ids.size,
  });
  private readonly inFlight = new Map<string, Promise<ReadonlySet<string>>>();

  constructor(private readonly options: GraphTeamGroupsOptions) {}

  async memberIds(groupId: string): Promise<ReadonlySet<string>> {
    const key = groupId.toLowerCase();
    const now = this.options.clock.now().getTime();
    const cached = this.cache.get(key);
    if (cached && now - cached.at < (this.options.ttlMs ?? 300_000)) return cached.ids;
    let pending = this.inFlight.get(key);
    if (!pending) {
      pending = this.read(groupId, key, now).finally(() => this.inFlight.delete(key));
      this.inFlight.set(key, pending);
    }
    return pending;
  }

  async addMember(groupId: string, userId: string): Promise<'added' | 'alreadyMember'> {
    const result = await this.options.graph.addGroupMember(groupId, userId);
    // The group changed: the next read should see it.
    this.cache.delete(groupId.toLowerCase());
    return result === 'added' ? 'added' : 'alreadyMember';
  }

  private async read(groupId: string, key: string, now: number): Promise<ReadonlySet<string>> {
    const ids = new Set((await this.options.graph.listTransitiveMemberIds(groupId)).map((id) => id.trim().toLowerCase()));
    this.cache.set(key, { ids, at: now });
    return ids;
  }
}
