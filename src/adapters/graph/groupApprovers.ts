/**
 * Approvers named in configuration plus the transitive members of an Entra group
 * (APPROVER_GROUP_ID), read through Graph (`GET /groups/{id}/transitiveMembers`, permission
 * GroupMember.Read.All) and cached briefly, so that adding someone to the group makes them an
 * approver within minutes without a redeploy.
 */
import type { Clock, Logger } from '../../domain/ports';
import type { ApproverRoster } from '../../domain/usecases/workflow';

export interface GroupMembers {
  listTransitiveMemberIds(groupId: string): Promise<string[]>;
}

export interface GroupApproversOptions {
  readonly staticIds: readonly string[];
  readonly groupId: string;
  readonly members: GroupMembers;
  readonly clock: Clock;
  readonly log: Logger;
  /** How long a membership read is trusted (default 5 minutes). */
  readonly ttlMs?: number;
}

const normalise = (id: string) => id.trim().toLowerCase();

export class GroupApprovers implements ApproverRoster {
  private readonly staticIds: ReadonlySet<string>;
  private cached: { ids: ReadonlySet<string>; at: number } | undefined;
  private inFlight: Promise<ReadonlySet<string>> | undefined;

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
    const now = this.options.clock.now().getTime();
    if (this.cached && now - this.cached.at < (this.options.ttlMs ?? 300_000)) return this.cached.ids;
    // One read at a time: a burst of clicks shares it.
    this.inFlight ??= this.read(now).finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  private async read(now: number): Promise<ReadonlySet<string>> {
    try {
      const ids = new Set((await this.options.members.listTransitiveMemberIds(this.options.groupId)).map(normalise));
      this.cached = { ids, at: now };
      return ids;
    } catch (err) {
      // Graph unavailable: keep the last known members rather than locking every approver out;
      // with none known, only the configured ids decide (fail closed for the group).
      this.options.log.warn({ err: err instanceof Error ? err.message : String(err) }, 'approver group not readable; using the last known members');
      return this.cached?.ids ?? new Set();
    }
  }
}
