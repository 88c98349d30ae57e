import type { AuditEntry, GuestRequest, Person, RequestStatus } from '../guestRequest';
import type { Workflow } from './workflow';

/**
 * Appends an audit entry that goes with no write (refusals, side effects). Such an entry must
 * never turn a successful step into an error for the user, so a failed append is logged and
 * swallowed. Status changes are audited with their write instead (see conditionalUpdate.ts).
 */
export async function audit(
  wf: Workflow,
  requestId: string,
  actor: Person,
  action: string,
  fields: { from?: RequestStatus; to?: RequestStatus; detail?: string } = {},
): Promise<void> {
  const entry: AuditEntry = { requestId, at: wf.clock.now().toISOString(), actor, action, ...fields };
  try {
    await wf.store.appendAudit(entry);
  } catch (err) {
    wf.log.error({ requestId, action, err: errorText(err) }, 'audit append failed');
  }
}

/** The entry recording a status change from `before` to `after`. */
export function transitionEntry(wf: Workflow, before: GuestRequest, after: GuestRequest, actor: Person, detail?: string): AuditEntry {
  return {
    requestId: after.id,
    at: wf.clock.now().toISOString(),
    actor,
    action: `status:${after.status}`,
    from: before.status,
    to: after.status,
    ...(detail !== undefined ? { detail } : {}),
  };
}

export function errorText(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}

/** The bot itself, as the actor of automatic transitions (invitation results, expiry). */
export const SYSTEM: Person = { id: 'system', name: 'Guest Access Bot' };
