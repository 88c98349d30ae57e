/**
 * The sandbox's own control API (/_sandbox/...), for tests and tools in another process: read
 * what was recorded, script faults, start or end an outage, reset, seed users and groups. Not part of Graph.
 */
import { parseFaultScript } from '../faults';
import { json, type Reply } from '../reply';
import { readJsonBody, type Route, type SandboxRequest } from './context';

export const controlRoutes: Route[] = [
  { method: 'GET', pattern: /^\/invitations$/, handle: async (request) => json(200, { value: request.state.invitations() }) },
  { method: 'GET', pattern: /^\/stats$/, handle: async (request) => json(200, { ...request.state.stats(), pendingFaults: request.state.faults.pending }) },
  { method: 'POST', pattern: /^\/faults$/, handle: scriptFaults },
  { method: 'POST', pattern: /^\/outage$/, handle: outage },
  { method: 'POST', pattern: /^\/reset$/, handle: reset },
  { method: 'POST', pattern: /^\/users$/, handle: seedUser },
  { method: 'POST', pattern: /^\/groups$/, handle: seedGroup },
];

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
  if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 0 || seconds > 3600) return problem('seconds must be a number from 0 to 3600.');
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
