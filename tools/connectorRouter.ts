/**
 * One Bot Connector address in front of several Agents Playgrounds, one per person (`npm run dev`,
 * the end-to-end test). Each Playground shows only its current user's chats and has its own mocked
 * connector; Teams, by contrast, gives the bot one regional serviceUrl for every user. This router
 * is that serviceUrl: every Playground is started with `--su <router>/_connector`, so every activity
 * the bot gets (and every conversation reference it keeps) names the router, and the router hands
 * each call of the bot to the Playground of the person it is for:
 *
 * - POST /v3/conversations (the bot opens a 1:1 chat): the Playground whose current user is
 *   `members[0]` (that Playground answers with the person's own personal chat, which its page shows);
 * - anything on /v3/conversations/{id}/…: the Playground that owns that conversation: a person's
 *   personal chat id (each Playground config has its own), one the router saw created, or, for
 *   shared chats (group chat, team channels), the Playground that last sent an activity there;
 * - anything else: the first Playground (the requester's).
 *
 * The Playgrounds send their activities through the router too (`-e <router>/bot/<key>`), which
 * is how it learns who last spoke in a shared conversation; it passes them to the bot unchanged and
 * returns the bot's answer (invoke responses included) as it is.
 *
 * The bot needs no change for this: it replies to the serviceUrl of the activity, opens approver
 * chats on a serviceUrl it holds, and the router is all of them. Dev and tests only.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RoutedPerson {
  /** Short name used in URLs and logs, e.g. 'anna'. */
  readonly key: string;
  readonly aadObjectId: string;
  /** The personal chat id in this person's Playground config. */
  readonly personalChatId: string;
}

export interface ConnectorRouter {
  readonly port: number;
  /** The serviceUrl every Playground puts in its activities: http://127.0.0.1:<port>/_connector */
  readonly serviceUrl: string;
  /** Where the Playground of `key` sends its activities (its `-e`). */
  botEndpointFor(key: string): string;
  /** Tells the router where `key`'s Playground listens (its own connector is <url>/_connector). */
  attach(key: string, playgroundUrl: string): void;
  /** Which Playground (key) a connector call of the bot goes to. */
  route(method: string, path: string, body: unknown): string;
  stop(): Promise<void>;
}

export async function startConnectorRouter(options: {
  /** The bot's /api/messages. */
  readonly botEndpoint: string;
  /** The people with a Playground; the first one gets whatever cannot be told apart. */
  readonly people: readonly RoutedPerson[];
  readonly port?: number;
}): Promise<ConnectorRouter> {
  const people = options.people;
  if (people.length === 0) throw new Error('the connector router needs at least one person');
  const playgrounds = new Map<string, string>();
  /** conversation id → key, from configs, created chats and who last spoke. */
  const owners = new Map<string, string>(people.map((p) => [p.personalChatId, p.key]));
  const byUser = new Map(people.map((p) => [p.aadObjectId.toLowerCase(), p.key]));
  const fallback = people[0]!.key;

  const ownerOf = (conversationId: string): string =>
    owners.get(conversationId) ?? owners.get(conversationId.split(';messageid=')[0]!) ?? fallback;

  const route = (method: string, path: string, body: unknown): string => {
    const conversation = /^\/v3\/conversations\/([^/?]+)/.exec(path);
    if (conversation) return ownerOf(decodeURIComponent(conversation[1]!));
    if (method === 'POST' && /^\/v3\/conversations\/?(\?|$)/.test(path)) {
      const b = body as { isGroup?: boolean; members?: { id?: string }[]; channelData?: { channel?: { id?: string } } } | undefined;
      const channel = b?.channelData?.channel?.id;
      if (b?.isGroup && typeof channel === 'string') return ownerOf(channel);
      const member = b?.members?.[0]?.id;
      if (typeof member === 'string') return byUser.get(member.replace(/^29:/, '').toLowerCase()) ?? fallback;
    }
    return fallback;
  };

  const server = http.createServer((req, res) => {
    void handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 'RouterError', message: err instanceof Error ? err.message : String(err) } }));
    });
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks);
    let body: unknown;
    try {
      body = raw.length ? JSON.parse(raw.toString('utf8')) : undefined;
    } catch {
      body = undefined;
    }
    const url = req.url ?? '/';
    const method = req.method ?? 'GET';

    const fromPlayground = /^\/bot\/([^/?]+)/.exec(url);
    if (fromPlayground) {
      // A Playground → the bot. Remember who spoke in this conversation, then pass it on unchanged.
      const key = decodeURIComponent(fromPlayground[1]!);
      const conversationId = (body as { conversation?: { id?: unknown } } | undefined)?.conversation?.id;
      if (typeof conversationId === 'string' && !/^a:/.test(conversationId)) owners.set(conversationId.split(';messageid=')[0]!, key);
      await forward(options.botEndpoint, method, req.headers, raw, res);
      return;
    }

    if (url.startsWith('/_connector/') || url === '/_connector') {
      // The bot → a Playground's mocked connector.
      const path = url.slice('/_connector'.length) || '/';
      const key = route(method, path, body);
      const target = playgrounds.get(key);
      if (!target) {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { code: 'ConversationNotFound', message: `no Playground for ${key}` } }));
        return;
      }
      const answer = await forward(`${target}/_connector${path}`, method, req.headers, raw, res);
      // A chat the bot just opened belongs to the Playground that opened it.
      if (method === 'POST' && /^\/v3\/conversations\/?(\?|$)/.test(path) && answer && typeof answer.id === 'string')
        owners.set(answer.id, key);
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('not a route of the Playground connector router\n');
  }

  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
  const base = `http://127.0.0.1:${port}`;
  return {
    port,
    serviceUrl: `${base}/_connector`,
    botEndpointFor: (key) => `${base}/bot/${encodeURIComponent(key)}`,
    attach: (key, playgroundUrl) => void playgrounds.set(key, playgroundUrl.replace(/\/$/, '')),
    route,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Sends the request on and copies the answer back; resolves with its JSON body, if any. */
async function forward(
  target: string,
  method: string,
  headers: http.IncomingHttpHeaders,
  body: Buffer,
  res: http.ServerResponse,
): Promise<Record<string, unknown> | undefined> {
  const pass: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (typeof value === 'string' && !['host', 'content-length', 'connection', 'transfer-encoding'].includes(name)) pass[name] = value;
  }
  const response = await fetch(target, {
    method,
    headers: pass,
    ...(body.length && method !== 'GET' && method !== 'HEAD' ? { body } : {}),
  });
  const answer = Buffer.from(await response.arrayBuffer());
  const type = response.headers.get('content-type');
  res.writeHead(response.status, type ? { 'content-type': type } : {});
  res.end(answer);
  if (!type?.includes('json') || !answer.length) return undefined;
  try {
    return JSON.parse(answer.toString('utf8')) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}
