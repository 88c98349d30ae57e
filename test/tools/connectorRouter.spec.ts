/**
 * The connector router of the local sandbox (tools/connectorRouter.ts): each call of the bot goes to
 * the Playground of the person it is for. The Playgrounds here are stubs that record what they got.
 */
import { strict as assert } from 'node:assert';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startConnectorRouter, type ConnectorRouter } from '../../tools/connectorRouter';

interface Stub {
  readonly url: string;
  readonly got: { method: string; path: string; body: any }[];
  stop(): Promise<void>;
}

/** A Playground's connector, or the bot: answers JSON (`reply` decides what). */
async function stub(reply: (path: string, body: any) => unknown): Promise<Stub> {
  const got: Stub['got'] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const body = text ? JSON.parse(text) : undefined;
      got.push({ method: req.method ?? '', path: req.url ?? '', body });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(reply(req.url ?? '', body) ?? {}));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, got, stop: () => new Promise((r) => server.close(() => r())) };
}

const RITA = { key: 'rita', aadObjectId: '11111111-1111-4111-8111-111111111111', personalChatId: 'a:personal-rita' };
const ANNA = { key: 'anna', aadObjectId: '22222222-2222-4222-8222-222222222222', personalChatId: 'a:personal-anna' };

describe('connector router (local sandbox)', () => {
  let bot: Stub;
  let rita: Stub;
  let anna: Stub;
  let router: ConnectorRouter;

  beforeEach(async () => {
    bot = await stub(() => ({ statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: 'ok' }));
    // A Playground opens a 1:1 chat with its own user as that user's personal chat, others get a new id.
    rita = await stub((path, body) =>
      path === '/_connector/v3/conversations'
        ? { id: body.members[0].id === RITA.aadObjectId ? RITA.personalChatId : 'a:new-in-rita' }
        : { id: 'activity-1' },
    );
    anna = await stub((path, body) =>
      path === '/_connector/v3/conversations'
        ? { id: body.members[0].id === ANNA.aadObjectId ? ANNA.personalChatId : 'a:new-in-anna' }
        : { id: 'activity-2' },
    );
    router = await startConnectorRouter({ botEndpoint: `${bot.url}/api/messages`, people: [RITA, ANNA] });
    router.attach('rita', rita.url);
    router.attach('anna', anna.url);
  });
  afterEach(async () => {
    await router.stop();
    await Promise.all([bot.stop(), rita.stop(), anna.stop()]);
  });

  const call = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${router.serviceUrl}${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as any };
  };

  it("opens an approver's 1:1 chat in that approver's own Playground (member id with or without 29:)", async () => {
    const opened = await call('POST', '/v3/conversations', { isGroup: false, members: [{ id: ANNA.aadObjectId }] });
    assert.deepEqual(opened, { status: 200, body: { id: ANNA.personalChatId } });
    assert.equal(anna.got.length, 1);
    assert.equal(rita.got.length, 0);
    await call('POST', '/v3/conversations', { members: [{ id: `29:${ANNA.aadObjectId.toUpperCase()}` }] });
    assert.equal(anna.got.length, 2);
  });

  it('sends messages and card updates to the Playground that owns the conversation', async () => {
    await call('POST', `/v3/conversations/${encodeURIComponent(ANNA.personalChatId)}/activities`, { type: 'message', text: 'card' });
    await call('PUT', `/v3/conversations/${encodeURIComponent(ANNA.personalChatId)}/activities/activity-2`, {
      type: 'message',
      text: 'updated',
    });
    await call('POST', `/v3/conversations/${encodeURIComponent(RITA.personalChatId)}/activities`, { type: 'message', text: 'link' });
    assert.deepEqual(
      anna.got.map((g) => [g.method, g.body.text]),
      [
        ['POST', 'card'],
        ['PUT', 'updated'],
      ],
    );
    assert.deepEqual(
      rita.got.map((g) => [g.method, g.body.text]),
      [['POST', 'link']],
    );
  });

  it('remembers a chat a Playground created, and who last spoke in a shared conversation', async () => {
    // Someone without a Playground of their own: the first Playground's, and its id stays there.
    const created = await call('POST', '/v3/conversations', { members: [{ id: '99999999-9999-4999-8999-999999999999' }] });
    assert.equal(created.body.id, 'a:new-in-rita');
    assert.equal(router.route('POST', '/v3/conversations/a%3Anew-in-rita/activities', {}), 'rita');

    // Anna types in the team channel: the bot's reply there (and in its threads) goes to her Playground.
    const fromAnna = await fetch(router.botEndpointFor('anna'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'message', text: 'pending', conversation: { id: '19:general@thread.tacv2' } }),
    });
    assert.equal(fromAnna.status, 200);
    assert.deepEqual(
      await fromAnna.json(),
      { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: 'ok' },
      "the bot's answer comes back unchanged",
    );
    assert.equal(bot.got[0]?.path, '/api/messages');
    assert.equal(bot.got[0]?.body.text, 'pending');
    assert.equal(router.route('POST', `/v3/conversations/${encodeURIComponent('19:general@thread.tacv2')}/activities`, {}), 'anna');
    assert.equal(
      router.route('POST', `/v3/conversations/${encodeURIComponent('19:general@thread.tacv2;messageid=123')}/activities`, {}),
      'anna',
    );
  });
});
