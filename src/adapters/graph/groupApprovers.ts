/**
 * Approvers named in configuration plus the transitive members of an Entra group
 * (APPROVER_GROUP_ID), read through Graph by the same cached group reader the team feature uses
 * (teamGroups.ts, GroupMember.Read.All), so that adding someone to the group makes them an approver
 * within minutes without a redeploy.
 */
import { canonicalObjectId } from '../../domain/identity';
import type { Logger } from '../../domain/ports';
import type { ApproverRoster } from '../../domain/ports';

export interface GroupMembers {
  memberIds(groupId: string): Promise<ReadonlySet<string>>;
}

export interface GroupApproversOptions {
  readonly staticIds: readonly string[];
  readonly groupId: string;
  readonly groups: GroupMembers;
  readonly log: Logger;
}

/** Canonical GUIDs only: an id Graph or configuration spells oddly is the same person, a non-GUID is nobody. */
const canonicalIds = (ids: Iterable<string>): ReadonlySet<string> =>
  new Set([...ids].map(canonicalObjectId).filter((id): id is string => id !== undefined));

export class GroupApprovers implements ApproverRoster {
  private readonly staticIds: ReadonlySet<string>;
  private lastKnown: ReadonlySet<string> = new Set();

  constructor(private readonly options: GroupApproversOptions) {
    this.staticIds = canonicalIds(options.staticIds);
  }

  async isApprover(personId: string): Promise<boolean> {
    const id = canonicalObjectId(personId);
    if (id === undefined) return false;
    return this.staticIds.has(id) || (await this.groupMembers()).has(id);
  }

  async list(): Promise<readonly string[]> {
    return [...new Set([...this.staticIds, ...(await this.groupMembers())])];
  }

  private async groupMembers(): Promise<ReadonlySet<string>> {
    try {
      this.lastKnown = canonicalIds(await this.options.groups.memberIds(this.options.groupId));
    } catch (err) {
      // Graph unavailable: keep the last known members rather than locking every approver out;
      // with none known, only the configured ids decide (fail closed for the group).
      this.options.log.warn(
        { err: err instanceof Error ? err.message : String(err) },
        'approver group not readable; using the last known members',
      );
    }
    return this.lastKnown;
  }
}
