/**
 * Approvers named in configuration plus the transitive members of an Entra group
 * (APPROVER_GROUP_ID), read through Graph by the same cached group reader the team feature uses
 * (teamGroups.ts, GroupMember.Read.All), so that adding someone to the group makes them an approver
 * within minutes without a redeploy.
 */
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

const normalise = (id: string) => id.trim().toLowerCase();

export class GroupApprovers implements ApproverRoster {
  private readonly staticIds: ReadonlySet<string>;
  private lastKnown: ReadonlySet<string> = new Set();

  constructor(private readonly options: GroupApproversOptions) {
    this.staticIds = new Set(options.staticIds.map(normalise));
  }

  async isApprover(personId: string): Promise<boolean> {
    const id = normalise(personId);
    return this.staticIds.has(id) || (await this.groupMembers()).has(id);
  }

  async list(): Promise<readonly string[]> {
    return [...new Set([...this.staticIds, ...(await this.groupMembers())])];
  }

  private async groupMembers(): Promise<ReadonlySet<string>> {
    try {
      this.lastKnown = await this.options.groups.memberIds(this.options.groupId);
    } catch (err) {
      // Graph unavailable: keep the last known members rather than locking every approver out;
      // with none known, only the configured ids decide (fail closed for the group).
      this.options.log.warn({ err: err instanceof Error ? err.message : String(err) }, 'approver group not readable; using the last known members');
    }
    return this.lastKnown;
  }
}
