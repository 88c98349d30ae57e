/**
 * The sandbox's own control API (/_sandbox/...), for tests and tools in another process: read
 * what was recorded, script faults, start or end an outage, reset, seed users and groups. Not part of Graph.
 */
import { parseFaultScript } from '../faults';
import { json, type Reply } from '../reply';
import { readJsonBody, type Route, type SandboxRequest } from './context';

export const controlRoutes: Route[] = [
  { method: 'GET', pattern: /^\/invitations$/, handle: async (request) => json(200, { value: request.state.invitations() }) },
  {
    method: 'GET',
    pattern: /^\/stats$/,
    handle: async (request) => json(200, { ...request.state.stats(), pendingFaults: request.state.faults.pending }),
  },
  { method: 'POST', pattern: /^\/faults$/, handle: scriptFaults },
  { method: 'POST', pattern: /^\/outage$/, handle: outage },
  { method: 'POST', pattern: /^\/reset$/, handle: reset },
  { method: 'POST', pattern: /^\/users$/, handle: seedUser },
  { method: 'POST', pattern: /^\/groups$/, handle: seedGroup },
  { method: 'POST', pattern: /^\/teamsApps$/, handle: seedTeamsApp },
  { method: 'POST', pattern: /^\/appInstallations$/, handle: setInstalled },
  { method: 'GET', pattern: /^\/appInstallations$/, handle: async (request) => json(200, { value: request.state.teamsApps.installs }) },
];

/** { "externalId": "<manifest id>", "displayName"? }: puts the app in the tenant's catalog. */
async function seedTeamsApp(request: SandboxRequest): Promise<Reply> {
  const body = readJsonBody(request);
  if (!body.ok || !isRecord(body.value) || typeof body.value.externalId !== 'string')
    return problem('Expected { "externalId": "<manifest id>" }.');
  const name = typeof body.value.displayName === 'string' ? body.value.displayName : undefined;
  return json(201, request.state.teamsApps.addApp(body.value.externalId, name));
}

/**
 * { "userId", "externalId", "installed"?: boolean, "refuse"?: 403 | 404 | null }: marks the user as
 * having the app or not, and/or makes installing it for them fail with that status.
 */
async function setInstalled(request: SandboxRequest): Promise<Reply> {
  const body = readJsonBody(request);
  if (!body.ok || !isRecord(body.value) || typeof body.value.userId !== 'string')
    return problem('Expected { "userId", "externalId", "installed"?, "refuse"? }.');
  const { userId, externalId, installed, refuse } = body.value;
  if (refuse !== undefined && refuse !== null && refuse !== 403 && refuse !== 404) return problem('refuse must be 403, 404 or null.');
  if (refuse !== undefined) request.state.teamsApps.refuse(userId, refuse ?? undefined);
  if (installed !== undefined) {
    if (typeof installed !== 'boolean' || typeof externalId !== 'string') return problem('installed must be a boolean, with externalId.');
    const app = request.state.teamsApps.byExternalId(externalId);
    if (!app) return problem(`No app with externalId ${externalId} in the catalog.`);
    if (installed) request.state.teamsApps.install(userId, app.id);
    else request.state.teamsApps.uninstall(userId, app.id);
  }
  return json(200, { userId, installations: request.state.teamsApps.installationsOf(userId).length });
}

async function scriptFaults(request: SandboxRequest): Promise<Reply> {
  const body = readJsonBody(request);
  if (!body.ok) return problem('Expected a JSON body.');
  const script = parseFaultScript(body.value);
  if (!script.ok) return problem(script.message);
  request.state.scriptFaults(script.steps);
  return json(200, { queued: script.steps.length, pending: request.state.faults.pending });
}

/** { "kind": "error" | "hang", "seconds": n } starts an outage; { "seconds": 0 } ends it. */
async function outage(request: SandboxRequest): Promise<Reply> {
  const body = readJsonBody(request);
  if (!body.ok || !isRecord(body.value)) return problem('Expected a JSON object: { "kind": "error" | "hang", "seconds": n }.');
  const { kind = 'error', seconds } = body.value;
  if (kind !== 'error' && kind !== 'hang') return problem('kind must be "error" or "hang".');
  if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 0 || seconds > 3600)
    return problem('seconds must be a number from 0 to 3600.');
  if (seconds === 0) request.state.endOutage();
  else request.state.startOutage(kind, seconds * 1000);
  return json(200, { kind, seconds });
}

async function reset(request: SandboxRequest): Promise<Reply> {
  request.state.reset();
  return json(204);
}

async function seedUser(request: SandboxRequest): Promise<Reply> {
  const body = readJsonBody(request);
  if (!body.ok || !isRecord(body.value)) return problem('Expected a JSON object describing the user.');
  try {
    return json(201, request.state.addUser(body.value));
  } catch (error) {
    return problem((error as Error).message);
  }
}

async function seedGroup(request: SandboxRequest): Promise<Reply> {
  const body = readJsonBody(request);
  if (!body.ok || !isRecord(body.value)) return problem('Expected a JSON object describing the group.');
  try {
    const group = request.state.addGroup(body.value);
    return json(201, { id: group.id, displayName: group.displayName, memberIds: group.memberIds });
  } catch (error) {
    return problem((error as Error).message);
  }
}

function problem(message: string): Reply {
  return json(400, { error: { code: 'SandboxBadRequest', message } });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
