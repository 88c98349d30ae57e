/**
 * Who may decide on a request. Identity always comes from the activity (the Teams client signs the
 * user in), never from card data; this module only sees the ids.
 */
import type { GuestRequest } from '../guestRequest';
import { canonicalObjectId, sameId } from '../identity';

export { sameId } from '../identity';

/** Why someone may not act as an approver on a request (whatever the action). */
export type ActorRefusal = 'notApprover' | 'ownRequest';

export type DecisionRefusal = ActorRefusal | 'alreadyDecided';

export type DecisionPermission = { ok: true } | { ok: false; refusal: DecisionRefusal };

export interface ApproverDirectory {
  /** True when the person is in APPROVER_IDS (or an approver group, when configured). */
  isApprover(personId: string): Promise<boolean>;
}

/** Whether this person may act as an approver on this request (decide, retry); each action adds its own status rule. */
export function checkApproverActor(request: GuestRequest, actorId: string, actorIsApprover: boolean): { ok: true } | { ok: false; refusal: ActorRefusal } {
  if (!actorIsApprover) return { ok: false, refusal: 'notApprover' };
  // Separation of duties: an approver who asked for a guest can't wave their own request through.
  if (sameId(request.requester.id, actorId)) return { ok: false, refusal: 'ownRequest' };
  return { ok: true };
}

export function checkDecisionPermission(request: GuestRequest, deciderId: string, deciderIsApprover: boolean): DecisionPermission {
  const actor = checkApproverActor(request, deciderId, deciderIsApprover);
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
