/**
 * Who may decide on a request. Identity always comes from the activity (the Teams client signs the
 * user in), never from card data; this module only sees the ids.
 */
import type { GuestRequest } from '../guestRequest';

/** Why someone may not act as an approver on a request (whatever the action). */
export type ActorRefusal = 'notApprover' | 'ownRequest';

export type DecisionRefusal = ActorRefusal | 'alreadyDecided';

export type DecisionPermission = { ok: true } | { ok: false; refusal: DecisionRefusal };

export interface ApproverDirectory {
  /** True when the person is in APPROVER_IDS (or an approver group, when configured). */
  isApprover(personId: string): Promise<boolean>;
}

/** Case-insensitive id comparison: Entra object ids are GUIDs that clients may case differently. */
export function sameId(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase();
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

/** An approver list from configuration. */
export class StaticApprovers implements ApproverDirectory {
  private readonly ids: Set<string>;
  constructor(ids: readonly string[]) {
    this.ids = new Set(ids.map((id) => id.trim().toLowerCase()));
  }
  async isApprover(personId: string): Promise<boolean> {
    return this.ids.has(personId.trim().toLowerCase());
  }
  async list(): Promise<string[]> {
    return [...this.ids];
  }
}
