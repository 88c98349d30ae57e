/**
 * A token endpoint that takes the connection and never answers (src/adapters/graph/credential.ts,
 * tokenProvider): the real ManagedIdentityCredential, pointed at an App Service identity endpoint on
 * loopback that accepts and stays silent. Plain `getToken` waits for ever there.
 */
import { strict as assert } from 'node:assert';
import { createServer, type Server, type Socket } from 'node:net';
import { ManagedIdentityCredential } from '@azure/identity';
import { tokenProvider } from '../../../src/adapters/graph/credential';
import { withDeadline } from '../../../src/adapters/system/deadlines';

const SCOPE = 'https://graph.microsoft.com/.default';

describe('Graph tokens: a token endpoint that never answers', () => {
  let server: Server;
  let connections = 0;
  const sockets = new Set<Socket>();
  const saved = { endpoint: process.env.IDENTITY_ENDPOINT, header: process.env.IDENTITY_HEADER };
  let credential: ManagedIdentityCredential;

  before(async () => {
    server = createServer((socket) => {
      connections++;
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    process.env.IDENTITY_ENDPOINT = `http://127.0.0.1:${port}/msi/token`;
    process.env.IDENTITY_HEADER = 'test';
    credential = new ManagedIdentityCredential();
  });

  after(async () => {
    for (const [name, value] of [
      ['IDENTITY_ENDPOINT', saved.endpoint],
      ['IDENTITY_HEADER', saved.header],
    ] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('each caller is answered at the deadline; callers in the meantime share one request', async () => {
    const token = tokenProvider(credential, SCOPE, 800);
    const started = Date.now();
    const results = await Promise.allSettled([token(), token(), token()]);
    const ms = Date.now() - started;
    assert.ok(ms >= 700 && ms < 3000, `answered after ${ms} ms`);
    for (const result of results) {
      assert.equal(result.status, 'rejected');
      assert.match(String(result.reason), /no answer within 800 ms/);
    }
    assert.equal(connections, 1, 'one request to the endpoint for three callers');

    // The next call asks again (a failed request is not kept).
    await assert.rejects(token(), /no answer within 800 ms/);
    assert.equal(connections, 2);
  });

  it("a caller with a shorter deadline of its own (a click's budget) stops waiting at it", async () => {
    const token = tokenProvider(credential, SCOPE, 5000);
    const started = Date.now();
    await assert.rejects(
      withDeadline(300, 'a card click', () => token()),
      /a card click: no answer within 300 ms/,
    );
    assert.ok(Date.now() - started < 2000);
  });
});
