/**
 * A loopback stand-in for the Bot Framework Connector (Teams' side of the conversation API). The
 * bot sends proactive messages, replies and card updates to it exactly as it would to Teams, and
 * tests read back what arrived. Faults can be scripted per call.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type ConnectorOperation = 'createConversation' | 'sendToConversation' | 'replyToActivity' | 'updateActivity' | 'getMembers';

/** A member of a team's roster, as Teams lists it (GET /v3/conversations/{id}/pagedmembers). */
export interface RosterMember {
  /** The Teams user id (MRI, "29:…"). */
  readonly id: string;
  readonly aadObjectId: string;
  readonly name?: string;
}

/** Teams' answer to creating a 1:1 chat with someone who does not have the app installed. */
export const NOT_INSTALLED_ERROR = { error: { code: 'Forbidden', message: 'The bot is not part of the conversation roster.' } };

export interface ConnectorCall {
  readonly operation: ConnectorOperation;
  readonly conversationId: string;
  readonly activityId?: string;
  /** The activity (or conversation parameters) the bot sent. */
  readonly body: Record<string, unknown>;
  /** The id the connector gave the new activity / conversation. */
  readonly resultId: string;
  readonly at: number;
  readonly authorization?: string;
}

/** One scripted step: an error `status`, or with only `delayMs` a late but normal answer. */
export interface ScriptedFault {
  readonly operation?: ConnectorOperation;
  readonly status?: number;
  readonly retryAfterSeconds?: number;
  /** Answer only after this long (a slow Teams); with a status, the error comes late. */
  readonly delayMs?: number;
}

export interface FakeConnector {
  readonly url: string;
  readonly calls: ConnectorCall[];
  /** Conversations created with each member: Teams returns the same 1:1 chat for the same user. */
  conversationWith(memberId: string): string;
  /** Messages the bot posted into a conversation (new messages and replies alike). */
  messagesIn(conversationId: string): ConnectorCall[];
  scriptFaults(faults: ScriptedFault[]): void;
  /**
   * Calls into these conversations get no answer (a hung Teams chat) until `release()`, which
   * answers the held ones normally. A call the bot gives up on is dropped.
   */
  hang(conversationIds: Iterable<string>): void;
  release(): void;
  /** Calls being held now, and the most ever open at once, per conversation. */
  held(): readonly { conversationId: string; operation: ConnectorOperation }[];
  maxOpenIn(conversationId: string): number;
  /** Every call arriving in the next `durationMs`, in any conversation, is held unanswered until then (all of Teams hanging), then handled normally. */
  hangAll(durationMs: number): void;
  /** Waits until `predicate` holds over the calls so far (checked on every new call and every held one). */
  waitFor<T>(predicate: (calls: readonly ConnectorCall[]) => T | undefined | false, timeoutMs?: number): Promise<T>;
  /**
   * As Teams: 1:1 chats are only created with people who have the app installed (403 otherwise).
   * Off by default (every chat opens); `requireInstallation: true` turns it on.
   */
  readonly requireInstallation: boolean;
  /** Marks people (object ids) as having the app installed, or not. */
  install(...objectIds: string[]): void;
  uninstall(...objectIds: string[]): void;
  /** Serves this roster for GET /v3/conversations/{conversationId}/pagedmembers and /members. */
  setRoster(conversationId: string, members: readonly RosterMember[]): void;
  reset(): void;
  stop(): Promise<void>;
}

const MAX_BODY = 1024 * 1024;

function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        reject(new Error('body too large'));
        req.destroy();
      } else chunks.push(chunk);
    });
    req.on('end', () => {
      try {
        resolve(chunks.length ? (JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>) : {});
      } catch (err) {
        reject(err instanceof Error ? err : new Error(String(err)));
      }
    });
    req.on('error', reject);
  });
}

export async function startFakeConnector(
  options: { port?: number; latencyMs?: number; requireInstallation?: boolean } = {},
): Promise<FakeConnector> {
  const calls: ConnectorCall[] = [];
  const installed = new Set<string>();
  const rosters = new Map<string, readonly RosterMember[]>();
  const personKey = (id: string) => id.replace(/^29:/, '').toLowerCase();
  let faults: ScriptedFault[] = [];
  let hungUntil = 0;
  const waiters = new Set<() => void>();
  let counter = 0;
  const conversationId = (memberId: string) => `a:1on1-${memberId}`;
  const hung = new Set<string>();
  const holding = new Map<ServerResponse, { conversationId: string; operation: ConnectorOperation; answer: () => void }>();
  const open = new Map<string, number>();
  const maxOpen = new Map<string, number>();

  const record = (call: ConnectorCall) => {
    calls.push(call);
    for (const wake of [...waiters]) wake();
  };

  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    if (parts[0] !== 'v3' || parts[1] !== 'conversations') return send(res, 404, { error: { code: 'NotFound', message: 'unknown route' } });
    if (req.method === 'GET' && parts.length >= 4 && (parts[3] === 'pagedmembers' || parts[3] === 'members'))
      return roster(req, res, url, parts);
    let operation: ConnectorOperation | undefined;
    if (req.method === 'POST' && parts.length === 2) operation = 'createConversation';
    else if (req.method === 'POST' && parts.length === 4 && parts[3] === 'activities') operation = 'sendToConversation';
    else if (req.method === 'POST' && parts.length === 5 && parts[3] === 'activities') operation = 'replyToActivity';
    else if (req.method === 'PUT' && parts.length === 5 && parts[3] === 'activities') operation = 'updateActivity';
    if (!operation) return send(res, 405, { error: { code: 'MethodNotAllowed', message: `${req.method} ${url.pathname}` } });

    const body = await readJson(req);
    if (hungUntil > Date.now()) await new Promise((r) => setTimeout(r, hungUntil - Date.now()));
    const target = operation === 'createConversation' ? '' : (parts[2] ?? '');
    open.set(target, (open.get(target) ?? 0) + 1);
    maxOpen.set(target, Math.max(maxOpen.get(target) ?? 0, open.get(target)!));
    res.once('close', () => open.set(target, (open.get(target) ?? 1) - 1));
    if (hung.has(target)) {
      let givenUp = false;
      await new Promise<void>((resolve) => {
        holding.set(res, { conversationId: target, operation: operation, answer: resolve });
        for (const wake of [...waiters]) wake();
        res.once('close', () => {
          givenUp = holding.delete(res);
          for (const wake of [...waiters]) wake();
          resolve();
        });
      });
      if (givenUp) return;
    }
    if (options.latencyMs) await new Promise((r) => setTimeout(r, options.latencyMs));
    const faultIndex = faults.findIndex((f) => !f.operation || f.operation === operation);
    if (faultIndex >= 0) {
      const [fault] = faults.splice(faultIndex, 1);
      if (fault?.delayMs) await new Promise((r) => setTimeout(r, fault.delayMs));
      if (fault?.status !== undefined) {
        return send(
          res,
          fault.status,
          { error: { code: 'ScriptedFault', message: `scripted ${fault.status}` } },
          fault.retryAfterSeconds !== undefined ? { 'retry-after': String(fault.retryAfterSeconds) } : {},
        );
      }
    }
    const authorization = typeof req.headers.authorization === 'string' ? req.headers.authorization : undefined;
    if (operation === 'createConversation') {
      const channel = (body.channelData as { channel?: { id?: unknown } } | undefined)?.channel?.id;
      if (typeof channel === 'string') {
        // A post to a channel: Teams starts a thread named after its root message.
        const messageId = String(++counter);
        const id = `${channel};messageid=${messageId}`;
        record({ operation, conversationId: id, body, resultId: id, at: Date.now(), authorization });
        return send(res, 201, { id, activityId: messageId });
      }
      const members = Array.isArray(body.members) ? (body.members as Array<{ id?: unknown }>) : [];
      const memberId = typeof members[0]?.id === 'string' ? members[0].id : randomUUID();
      if (options.requireInstallation && !installed.has(personKey(memberId))) return send(res, 403, NOT_INSTALLED_ERROR);
      const id = conversationId(memberId);
      record({ operation, conversationId: id, body, resultId: id, at: Date.now(), authorization });
      return send(res, 201, { id, activityId: '', serviceUrl: '' });
    }
    const resultId = operation === 'updateActivity' ? (parts[4] ?? '') : `activity-${++counter}`;
    record({ operation, conversationId: parts[2] ?? '', activityId: parts[4], body, resultId, at: Date.now(), authorization });
    return send(res, operation === 'updateActivity' ? 200 : 201, { id: resultId });
  };

  /** GET …/pagedmembers (one page, Teams' shape) or …/members (an array), or …/members/{id}. */
  const roster = (req: IncomingMessage, res: ServerResponse, url: URL, parts: string[]) => {
    const id = parts[2] ?? '';
    const members = rosters.get(id);
    const authorization = typeof req.headers.authorization === 'string' ? req.headers.authorization : undefined;
    record({ operation: 'getMembers', conversationId: id, body: {}, resultId: '', at: Date.now(), authorization });
    if (!members) return send(res, 404, { error: { code: 'ConversationNotFound', message: 'Conversation not found.' } });
    const account = (m: RosterMember) => ({ id: m.id, aadObjectId: m.aadObjectId, name: m.name ?? '', userRole: 'user', tenantId: '' });
    if (parts[3] === 'members' && parts[4]) {
      const member = members.find((m) => m.id === parts[4] || m.aadObjectId.toLowerCase() === parts[4]!.toLowerCase());
      return member
        ? send(res, 200, account(member))
        : send(res, 404, { error: { code: 'MemberNotFoundInConversation', message: 'The member was not found in the conversation.' } });
    }
    if (parts[3] === 'members') return send(res, 200, members.map(account));
    const pageSize = Math.max(1, Math.min(500, Number(url.searchParams.get('pageSize') ?? 500) || 500));
    const start = Number(url.searchParams.get('continuationToken') ?? 0) || 0;
    const page = members.slice(start, start + pageSize).map(account);
    const next = start + pageSize < members.length ? String(start + pageSize) : undefined;
    return send(res, 200, { members: page, ...(next ? { continuationToken: next } : {}) });
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch(() => send(res, 400, { error: { code: 'BadRequest', message: 'invalid body' } }));
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    conversationWith: conversationId,
    messagesIn: (id) =>
      calls.filter((c) => (c.operation === 'sendToConversation' || c.operation === 'replyToActivity') && c.conversationId === id),
    scriptFaults(list) {
      faults = [...faults, ...list];
    },
    hangAll(durationMs) {
      hungUntil = Date.now() + durationMs;
    },
    waitFor<T>(predicate: (calls: readonly ConnectorCall[]) => T | undefined | false, timeoutMs = 10_000): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        const check = () => {
          const result = predicate(calls);
          if (result !== undefined && result !== false) {
            waiters.delete(check);
            clearTimeout(timer);
            resolve(result);
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`fake connector: condition not met within ${timeoutMs} ms (${calls.length} calls so far)`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    hang(ids) {
      for (const id of ids) hung.add(id);
    },
    release() {
      hung.clear();
      const held = [...holding.values()];
      holding.clear();
      for (const call of held) call.answer();
    },
    held: () => [...holding.values()].map(({ conversationId, operation }) => ({ conversationId, operation })),
    maxOpenIn: (id) => maxOpen.get(id) ?? 0,
    requireInstallation: options.requireInstallation ?? false,
    install(...ids) {
      for (const id of ids) installed.add(personKey(id));
    },
    uninstall(...ids) {
      for (const id of ids) installed.delete(personKey(id));
    },
    setRoster(id, members) {
      rosters.set(id, [...members]);
    },
    reset() {
      calls.length = 0;
      faults = [];
      hungUntil = 0;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
