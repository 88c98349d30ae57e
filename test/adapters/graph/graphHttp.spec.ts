/**
 * Graph's HTTP exchange (src/adapters/graph/graphHttp.ts) against real loopback servers: HTTPS as
 * Graph speaks it (a test certificate, test/support/tls), connections kept alive, headers read as
 * fetch read them, and every way an answer can fail to arrive whole ending in an error that the
 * retry policy treats as passing. The calls through the Graph sandbox are in graphDirectory.spec.ts.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { Agent as HttpsAgent, createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Server } from 'node:net';
import { join } from 'node:path';
import { sendGraphRequest } from '../../../src/adapters/graph/graphHttp';
import { isTransientNetworkError } from '../../../src/adapters/graph/retry';

const TLS = join(__dirname, '..', '..', '..', '..', 'test', 'support', 'tls');
const cert = readFileSync(join(TLS, 'localhost-cert.pem'));
const key = readFileSync(join(TLS, 'localhost-key.pem'));

type Handler = (request: IncomingMessage, response: ServerResponse, body: string) => void;

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return String((server.address() as AddressInfo).port);
}

function withBody(handler: Handler) {
  return (request: IncomingMessage, response: ServerResponse) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    request.on('end', () => handler(request, response, body));
  };
}

describe('Graph HTTP: one exchange over node:http and node:https', function () {
  this.timeout(10_000);
  const servers: Server[] = [];
  after(async () => {
    for (const server of servers) {
      (server as { closeAllConnections?: () => void }).closeAllConnections?.();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
  const http = async (handler: Handler) => {
    const server = createHttpServer(withBody(handler));
    servers.push(server);
    return `http://127.0.0.1:${await listen(server)}`;
  };

  it('speaks HTTPS: the JSON body goes out with its length, the answer comes back whole with its status and headers', async () => {
    const seen: Array<{ method?: string; path?: string; length?: string; auth?: string; body: string }> = [];
    const server = createHttpsServer(
      { cert, key },
      withBody((request, response, body) => {
        seen.push({
          method: request.method,
          path: request.url,
          length: request.headers['content-length'],
          auth: request.headers.authorization,
          body,
        });
        response.writeHead(201, { 'Content-Type': 'application/json', 'request-id': 'r-1' });
        response.end(JSON.stringify({ inviteRedeemUrl: 'https://example.test/redeem', é: 'ü' }));
      }),
    );
    servers.push(server);
    const base = `https://127.0.0.1:${await listen(server)}`;
    const agent = new HttpsAgent({ ca: cert, keepAlive: true });
    const body = JSON.stringify({ invitedUserEmailAddress: 'gäst@fabrikam.com' });
    const answer = await sendGraphRequest(`${base}/v1.0/invitations`, {
      method: 'POST',
      headers: { Authorization: 'Bearer t', 'Content-Type': 'application/json' },
      body,
      signal: AbortSignal.timeout(5000),
      agent,
    });
    assert.equal(answer.status, 201);
    assert.equal(answer.headers.get('Request-Id'), 'r-1', 'header names without case, as fetch reads them');
    assert.equal(answer.headers.get('retry-after'), null);
    assert.deepEqual(JSON.parse(await answer.text()), { inviteRedeemUrl: 'https://example.test/redeem', é: 'ü' });
    assert.deepEqual(seen, [
      { method: 'POST', path: '/v1.0/invitations', length: String(Buffer.byteLength(body)), auth: 'Bearer t', body },
    ]);
    agent.destroy();
  });

  it('keeps the connection alive between calls', async () => {
    const ports = new Set<number>();
    const base = await http((request, response) => {
      ports.add(request.socket.remotePort ?? 0);
      response.end('{}');
    });
    for (let i = 0; i < 3; i++)
      await (await sendGraphRequest(`${base}/x`, { method: 'GET', headers: {}, signal: AbortSignal.timeout(5000) })).text();
    assert.equal(ports.size, 1, 'three calls, one connection');
  });

  it('an answer cut short, a reset, a refused connection and a deadline are errors the retry policy retries, never a short answer', async () => {
    const cut = await http((_request, response) => {
      response.writeHead(200, { 'Content-Length': '100' });
      response.write('{"partial":');
      setTimeout(() => response.socket?.destroy(), 20);
    });
    const reset = await http((request) => request.socket.destroy());
    const silent = await http(() => undefined);
    const closed = createHttpServer();
    const closedUrl = `http://127.0.0.1:${await listen(closed)}`;
    await new Promise<void>((resolve) => closed.close(() => resolve()));

    const outcomes = await Promise.all(
      [`${cut}/x`, `${reset}/x`, `${closedUrl}/x`, `${silent}/x`].map((url, i) =>
        sendGraphRequest(url, { method: 'GET', headers: {}, signal: AbortSignal.timeout(i === 3 ? 200 : 5000) }).then(
          async (answer) => `answered ${answer.status}: ${await answer.text()}`,
          (error: unknown) => error,
        ),
      ),
    );
    for (const outcome of outcomes) assert.ok(isTransientNetworkError(outcome), `transient: ${String(outcome)}`);
  });

  it('refuses a URL that is not http or https before sending anything', async () => {
    await assert.rejects(
      () => sendGraphRequest('file:///etc/passwd', { method: 'GET', headers: {}, signal: AbortSignal.timeout(1000) }),
      /unsupported URL scheme "file:"/,
    );
  });
});
