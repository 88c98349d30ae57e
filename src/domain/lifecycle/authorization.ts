/**
 * Who may decide on a request. Identity always comes from the activity (the Teams client signs the
 * user in), never from card data; this module only sees the ids.
 */
import { type GuestRequest, isMemberInvitation } from '../guestRequest';
import { canonicalObjectId, sameId } from '../identity';

export { sameId } from '../identity';

/** Why someone may not act as an approver on a request (whatever the action). */
export type ActorRefusal = 'notApprover' | 'ownRequest' | 'memberApproversOnly';

export type DecisionRefusal = ActorRefusal | 'alreadyDecided';

export type DecisionPermission = { ok: true } | { ok: false; refusal: DecisionRefusal };

export interface ApproverDirectory {
  /** True when the person is in APPROVER_IDS (or an approver group, when configured). */
  isApprover(personId: string): Promise<boolean>;
}

/**
 * Whether this person may act as an approver on this request (decide, retry); each action adds its
 * own status rule. A Member invitation (employee-level access) needs a member approver.
 */
export function checkApproverActor(
  request: GuestRequest,
  actorId: string,
  actorIsApprover: boolean,
  actorIsMemberApprover = false,
): { ok: true } | { ok: false; refusal: ActorRefusal } {
  if (!actorIsApprover) return { ok: false, refusal: 'notApprover' };
  // Separation of duties: an approver who asked for a guest can't wave their own request through,
  // whatever their role.
  if (sameId(request.requester.id, actorId)) return { ok: false, refusal: 'ownRequest' };
  if (isMemberInvitation(request) && !actorIsMemberApprover) return { ok: false, refusal: 'memberApproversOnly' };
  return { ok: true };
}

export function checkDecisionPermission(
  request: GuestRequest,
  deciderId: string,
  deciderIsApprover: boolean,
  deciderIsMemberApprover = false,
): DecisionPermission {
  const actor = checkApproverActor(request, deciderId, deciderIsApprover, deciderIsMemberApprover);
  if (!actor.ok) return actor;
  if (request.status !== 'Pending') return { ok: false, refusal: 'alreadyDecided' };
  return { ok: true };
}

/** An approver list from configuration, held as canonical GUIDs (anything else names nobody). */
export class StaticApprovers implements ApproverDirectory {
  private readonly ids: Set<string>;
  constructor(ids: readonly string[]) {
    this.ids = new Set(ids.map(canonicalObjectId).filter((id): id is string => id !== undefined));
  }
  async isApprover(personId: string): Promise<boolean> {
    const id = canonicalObjectId(personId);
    return id !== undefined && this.ids.has(id);
  }
  async list(): Promise<string[]> {
    return [...this.ids];
  }
}

/**
 * Two approver lists read as one: the approvers (APPROVER_IDS / _GROUP_ID) and the member approvers
 * (MEMBER_APPROVER_IDS / _GROUP_ID), who are approvers too and also decide Guest requests.
 */
export class ApproverUnion {
  constructor(private readonly parts: ReadonlyArray<ApproverDirectory & { list(): Promise<readonly string[]> }>) {}
  async isApprover(personId: string): Promise<boolean> {
    for (const part of this.parts) if (await part.isApprover(personId)) return true;
    return false;
  }
  async list(): Promise<string[]> {
    const all = await Promise.all(this.parts.map((part) => part.list()));
    return [...new Set(all.flat().map((id) => canonicalObjectId(id) ?? id))];
  }
}
