/** Reads the shared Graph sandbox's control API over HTTP (what it received). */
import { testGraphBaseUrl } from './env';

export interface RecordedInvitation {
  readonly body: any;
  readonly status: number | null;
  readonly arrivedAtMs: number;
  readonly early: boolean;
}

function controlUrl(path: string, baseUrl = testGraphBaseUrl()): string {
  return `${baseUrl.replace(/\/v1\.0$/, '')}/_sandbox${path}`;
}

/** Every invitation the sandbox has received so far (all addresses). */
export async function allInvitations(baseUrl?: string): Promise<RecordedInvitation[]> {
  const response = await fetch(controlUrl('/invitations', baseUrl));
  const { value } = (await response.json()) as { value: RecordedInvitation[] };
  return value;
}

export async function invitationsFor(email: string, baseUrl?: string): Promise<RecordedInvitation[]> {
  return (await allInvitations(baseUrl)).filter(
    (call) =>
      typeof call.body?.invitedUserEmailAddress === 'string' && call.body.invitedUserEmailAddress.toLowerCase() === email.toLowerCase(),
  );
}

export async function scriptGraphFaults(steps: unknown[], baseUrl?: string): Promise<void> {
  const response = await fetch(controlUrl('/faults', baseUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(steps),
  });
  if (!response.ok) throw new Error(`scripting faults failed: ${response.status}`);
}

let counter = 0;
/** A guest address no other test uses, so sandbox records can be told apart. */
export function uniqueGuestEmail(domain = 'fabrikam.com'): string {
  counter++;
  return `guest${Date.now().toString(36)}${counter}@${domain}`;
}

/** Adds a user to the shared sandbox's directory (a colleague, or a guest invited earlier). */
export async function seedDirectoryUser(user: Record<string, unknown>, baseUrl?: string): Promise<{ id: string }> {
  const response = await fetch(controlUrl('/users', baseUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(user),
  });
  if (!response.ok) throw new Error(`seeding a user failed: ${response.status} ${await response.text()}`);
  return (await response.json()) as { id: string };
}

/** Adds a group (with members, by object id) to the shared sandbox's directory. */
export async function seedDirectoryGroup(group: Record<string, unknown>, baseUrl?: string): Promise<{ id: string }> {
  const response = await fetch(controlUrl('/groups', baseUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(group),
  });
  if (!response.ok) throw new Error(`seeding a group failed: ${response.status} ${await response.text()}`);
  return (await response.json()) as { id: string };
}
