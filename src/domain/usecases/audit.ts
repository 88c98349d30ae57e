import type { AuditEntry, GuestRequest, Person, RequestStatus } from '../guestRequest';
import type { Workflow } from './workflow';

/**
 * Appends an audit entry. The audit trail must never turn a successful decision into an error for
 * the user, so a failed append is logged and swallowed.
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

export function auditTransition(wf: Workflow, before: GuestRequest, after: GuestRequest, actor: Person, detail?: string): Promise<void> {
  return audit(wf, after.id, actor, `status:${after.status}`, { from: before.status, to: after.status, detail });
}

export function errorText(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}

/** The bot itself, as the actor of automatic transitions (invitation results, expiry). */
export const SYSTEM: Person = { id: 'system', name: 'Guest Access Bot' };
