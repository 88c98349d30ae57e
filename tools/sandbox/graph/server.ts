/**
 * The Graph sandbox: a small node:http server that answers the Microsoft Graph v1.0 calls the bot
 * makes (invitations, users, groups) with Graph's validation, error bodies and throttling, plus
 * scripted and random faults. Used by tests (in-process) and `npm run dev` (see main.ts).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { GroupSeed, UserSeed } from './directory';
import { graphError, newRequestId, type Reply, type RequestInfo } from './reply';
import { applyFault } from './routes/faultReply';
import { controlRoutes } from './routes/control';
import { delay, type Delivery, type Route, type SandboxRequest } from './routes/context';
import { groupRoutes } from './routes/groups';
import { invitationRoutes } from './routes/invitations';
import { teamworkRoutes } from './routes/teamwork';
import { userRoutes } from './routes/users';
import { SandboxState } from './state';

export { SandboxState } from './state';
export type { FaultStep } from './faults';
export type { InvitationCall, SandboxStats } from './invitationLog';
export type { GroupSeed, SandboxGroup, SandboxUser, UserSeed } from './directory';

export interface GraphSandboxOptions {
  host?: string;
  port?: number;
  tenantDomain?: string;
  latencyMs?: number;
  throttlePerSecond?: number;
  chaos?: { rate: number; seed?: number };
  /** Seeded at start and again on every reset. */
  users?: UserSeed[];
  groups?: GroupSeed[];
}

export interface RunningGraphSandbox {
  /** e.g. http://127.0.0.1:PORT/v1.0 */
  readonly baseUrl: string;
  readonly port: number;
  stop(): Promise<void>;
  /** In-process access for tests. */
  state: SandboxState;
}

const GRAPH_VERSION = '/v1.0';
const CONTROL_PREFIX = '/_sandbox';
const MAX_BODY_BYTES = 1024 * 1024;
const JSON_CONTENT_TYPE = 'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8';

/** Invitations apply their own faults so that every one of them is recorded with the call. */
const ROUTES_WITH_OWN_FAULTS = new Set<Route>(invitationRoutes);
const GRAPH_ROUTES: Route[] = [...invitationRoutes, ...userRoutes, ...groupRoutes, ...teamworkRoutes];

export async function startGraphSandbox(options: GraphSandboxOptions = {}): Promise<RunningGraphSandbox> {
  const state = new SandboxState({
    tenantDomain: options.tenantDomain ?? 'contoso.onmicrosoft.com',
    throttlePerSecond: options.throttlePerSecond,
    chaos: options.chaos,
    users: options.users,
    groups: options.groups,
  });
  const stopping = new AbortController();
  let graphBaseUrl = '';

  const server = createServer((req, res) => {
    handle(req, res, { state, stopping: stopping.signal, graphBaseUrl, latencyMs: options.latencyMs ?? 0 }).catch((error: unknown) => {
      // A sandbox bug must not take the sandbox down, nor pass for a scripted fault: say so, drop the call.
      console.error(`Graph sandbox: ${req.method} ${req.url} failed:`, error);
      res.destroy();
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  graphBaseUrl = `http://${host}:${address.port}${GRAPH_VERSION}`;

  let stopped: Promise<void> | undefined;
  return {
    baseUrl: graphBaseUrl,
    port: address.port,
    state,
    stop() {
      stopped ??= new Promise<void>((resolve) => {
        stopping.abort();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return stopped;
    },
  };
}

interface ServerContext {
  readonly state: SandboxState;
  readonly stopping: AbortSignal;
  readonly graphBaseUrl: string;
  readonly latencyMs: number;
}

async function handle(req: IncomingMessage, res: ServerResponse, context: ServerContext): Promise<void> {
  const clientGone = new AbortController();
  res.on('close', () => {
    if (!res.writableFinished) clientGone.abort();
  });
  const url = new URL(req.url ?? '/', 'http://sandbox.invalid');
  const info: RequestInfo = { requestId: newRequestId(), clientRequestId: headerValue(req, 'client-request-id') };
  const delivered: Array<(delivery: Delivery) => void> = [];

  const bodyText = await readBody(req);
  let reply: Reply;
  if (bodyText === undefined) {
    reply = graphError(info, 413, 'RequestEntityTooLarge', 'The request body is too large.');
  } else {
    const request: SandboxRequest = {
      ...info,
      method: req.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      headers: req.headers,
      bodyText,
      graphBaseUrl: context.graphBaseUrl,
      signal: AbortSignal.any([clientGone.signal, context.stopping]),
      state: context.state,
      onDelivered: (callback) => delivered.push(callback),
    };
    reply = await route(request, context);
  }

  const delivery = write(res, reply, info);
  for (const callback of delivered) callback(delivery);
}

async function route(request: SandboxRequest, context: ServerContext): Promise<Reply> {
  const path = request.path;
  if (path === CONTROL_PREFIX || path.startsWith(`${CONTROL_PREFIX}/`)) {
    return dispatch(controlRoutes, { ...request, path: path.slice(CONTROL_PREFIX.length) });
  }
  if (!path.startsWith(`${GRAPH_VERSION}/`)) return unknownSegment(request, path.split('/')[1] ?? '');

  const graphRequest = { ...request, path: path.slice(GRAPH_VERSION.length) };
  context.state.log.countRequest();
  const authProblem = checkAuthorization(graphRequest);
  if (authProblem) return authProblem;

  const found = match(GRAPH_ROUTES, graphRequest);
  if (found.kind !== 'found') return found.reply;
  if (!ROUTES_WITH_OWN_FAULTS.has(found.route)) {
    const chaos = context.state.chaos?.next();
    if (chaos) {
      const effect = await applyFault(graphRequest, chaos);
      if (effect.kind === 'client-gone') return { kind: 'abandoned' };
      if (effect.kind === 'reply') return effect.reply;
    }
  }
  const reply = await found.route.handle(graphRequest, found.match);
  // latencyMs is a slow network: the work is done, the answer is late (and may find nobody).
  if (context.latencyMs > 0 && !(await delay(context.latencyMs, request.signal))) return { kind: 'abandoned' };
  return reply;
}

async function dispatch(routes: readonly Route[], request: SandboxRequest): Promise<Reply> {
  const found = match(routes, request);
  return found.kind === 'found' ? found.route.handle(request, found.match) : found.reply;
}

function match(
  routes: readonly Route[],
  request: SandboxRequest,
): { kind: 'found'; route: Route; match: RegExpExecArray } | { kind: 'none'; reply: Reply } {
  const allowed: string[] = [];
  for (const candidate of routes) {
    const result = candidate.pattern.exec(request.path);
    if (!result) continue;
    if (candidate.method === request.method) return { kind: 'found', route: candidate, match: result };
    allowed.push(candidate.method);
  }
  if (allowed.length > 0) {
    return {
      kind: 'none',
      reply: graphError(request, 405, 'Request_BadRequest', `The HTTP method '${request.method}' is not allowed for this resource.`, {
        Allow: allowed.join(', '),
      }),
    };
  }
  const segment = request.path.split('/').filter(Boolean).pop() ?? '';
  return { kind: 'none', reply: unknownSegment(request, segment) };
}

function unknownSegment(info: RequestInfo, segment: string): Reply {
  return graphError(info, 404, 'ResourceNotFound', `Resource not found for the segment '${segment}'.`);
}

/** The sandbox is local, so no token is fine; but a token that is sent must be a bearer token. */
function checkAuthorization(request: SandboxRequest): Reply | undefined {
  const header = request.headers.authorization;
  if (header === undefined) return undefined;
  if (!/^Bearer(\s|$)/i.test(header)) {
    return graphError(request, 401, 'InvalidAuthenticationToken', 'CompactToken parsing failed with error code: 80049217');
  }
  if (!/^Bearer\s+\S+/i.test(header)) return graphError(request, 401, 'InvalidAuthenticationToken', 'Access token is empty.');
  return undefined;
}

function write(res: ServerResponse, reply: Reply, info: RequestInfo): Delivery {
  if (reply.kind === 'reset') {
    res.socket?.destroy();
    return 'reset';
  }
  if (reply.kind === 'abandoned' || res.destroyed) {
    res.destroy();
    return 'client-gone';
  }
  const headers: Record<string, string> = { 'request-id': info.requestId, ...reply.headers };
  if (info.clientRequestId) headers['client-request-id'] = info.clientRequestId;
  // Two statements, not a chain: restify (loaded in the same process by tests and `npm run dev`)
  // patches ServerResponse.prototype.writeHead so that it no longer returns the response.
  if (reply.body === undefined) {
    res.writeHead(reply.status, headers);
    res.end();
  } else {
    const payload = JSON.stringify(reply.body);
    headers['Content-Type'] = JSON_CONTENT_TYPE;
    headers['Content-Length'] = String(Buffer.byteLength(payload));
    res.writeHead(reply.status, headers);
    res.end(payload);
  }
  return 'sent';
}

/** Reads the body as UTF-8; undefined when it exceeds the limit. */
async function readBody(req: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  let tooLarge = false;
  try {
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > MAX_BODY_BYTES) tooLarge = true;
      else chunks.push(chunk as Buffer);
    }
  } catch {
    // The client dropped the connection mid-body; what we have is all there is.
  }
  return tooLarge ? undefined : Buffer.concat(chunks).toString('utf8');
}

function headerValue(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
