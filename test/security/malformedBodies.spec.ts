/**
 * Malformed requests on /api/messages (docs/protocol.md §3, last paragraph): every one is a 4xx, never a
 * 5xx, nothing reaches the bot, and the bot stays healthy and working afterwards.
 */
import { strict as assert } from 'node:assert';
import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { MAX_BODY_BYTES } from '../../src/server/httpServer';
import { BotHarness, cardOf, cardText, REQUESTER } from '../support/botHarness';
import { uniqueGuestEmail } from '../support/graphSandboxClient';
import { cardActionActivity, messageActivity } from '../support/teamsActivities';
import { healthy, rawPost, sideEffects } from './support';

const JSON_TYPE = { 'content-type': 'application/json' };

describe('malformed bodies on /api/messages', () => {
  let bot: BotHarness;
  let baseline: Awaited<ReturnType<typeof sideEffects>>;
  let logMark = 0;

  before(async () => {
    bot = await BotHarness.start();
    baseline = await sideEffects(bot, [REQUESTER.aadObjectId]);
    logMark = bot.logLines.length;
  });
  after(async () => {
    await bot?.stop();
  });

  const valid = () => messageActivity(REQUESTER, bot.connector.url, 'request');
  const without = (key: string) => {
    const activity: Record<string, unknown> = valid();
    delete activity[key];
    return JSON.stringify(activity);
  };
  const withField = (key: string, value: unknown) => JSON.stringify({ ...valid(), [key]: value });

  async function expect4xx(
    name: string,
    body: string | Uint8Array | FormData | undefined,
    headers: Record<string, string> = JSON_TYPE,
    expected?: number,
  ) {
    const answer = await rawPost(bot, body, headers);
    assert.ok(answer.status >= 400 && answer.status < 500, `${name}: ${answer.status} ${answer.text.slice(0, 200)}`);
    if (expected) assert.equal(answer.status, expected, name);
    return answer;
  }

  it('invalid JSON, an empty body and JSON that is not an object are 400', async () => {
    await expect4xx('truncated JSON', '{"type": "message", ', JSON_TYPE, 400);
    await expect4xx('not JSON at all', 'type=message', JSON_TYPE, 400);
    await expect4xx('trailing garbage', `${JSON.stringify(valid())}xyz`, JSON_TYPE, 400);
    await expect4xx('empty body', '', JSON_TYPE, 400);
    await expect4xx('whitespace body', '   ', JSON_TYPE, 400);
    for (const body of ['[]', `[${JSON.stringify(valid())}]`, '42', '"message"', 'null', 'true', '{}'])
      await expect4xx(body.slice(0, 40), body, JSON_TYPE, 400);
  });

  it('activities without the fields botbuilder relies on are 400 (botbuilder alone answers 500 to some)', async () => {
    for (const key of ['type', 'channelId', 'serviceUrl', 'conversation', 'from'])
      await expect4xx(`no ${key}`, without(key), JSON_TYPE, 400);
    const wrong: Array<[string, unknown]> = [
      ['type', 42],
      ['type', ''],
      ['type', { $ne: null }],
      ['type', 'x'.repeat(1000)],
      ['serviceUrl', 'javascript:alert(1)'],
      ['serviceUrl', 'file:///etc/passwd'],
      ['serviceUrl', 'not a url'],
      ['serviceUrl', ['http://127.0.0.1']],
      ['conversation', 'a:1'],
      ['conversation', {}],
      ['conversation', { id: 7 }],
      ['conversation', []],
      ['from', null],
      ['from', { id: '' }],
      ['from', 'someone'],
      ['recipient', 'bot'],
      ['text', { toString: 'x' }],
      ['text', ['request']],
      ['name', 42],
      ['channelData', 'tenant'],
      ['channelData', [1]],
    ];
    for (const [key, value] of wrong)
      await expect4xx(`${key}=${JSON.stringify(value).slice(0, 40)}`, withField(key, value), JSON_TYPE, 400);
  });

  it('a wrong content type is 415 and the body is not parsed (multipart uploads never reach the disk)', async () => {
    const activity = JSON.stringify(valid());
    await expect4xx('text/plain', activity, { 'content-type': 'text/plain' }, 415);
    await expect4xx('form', 'type=message&channelId=msteams', { 'content-type': 'application/x-www-form-urlencoded' }, 415);
    await expect4xx('csv', 'type,channelId\nmessage,msteams', { 'content-type': 'text/csv' }, 415);
    await expect4xx('octet-stream', activity, { 'content-type': 'application/octet-stream' }, 415);
    await expect4xx('xml', '<activity/>', { 'content-type': 'application/xml' }, 415);
    await expect4xx('no content type', new TextEncoder().encode(activity), {}, 415);

    // restify's multipart parser (formidable) streams file parts to the temp folder, past the body
    // size limit, and never deletes them: an unauthenticated way to fill the disk.
    const before = new Set(readdirSync(tmpdir()));
    const form = new FormData();
    form.append('type', 'message');
    form.append('upload', new Blob([new Uint8Array(MAX_BODY_BYTES * 4)]), 'big.bin');
    await expect4xx('multipart', form, {}, 415);
    const added = readdirSync(tmpdir()).filter((f) => !before.has(f) && f.startsWith('upload_'));
    assert.deepEqual(added, [], 'no upload written to the temp folder');
  });

  it(`a body over ${MAX_BODY_BYTES / 1024} KiB is 413, also when sent chunked`, async () => {
    const big = JSON.stringify({ ...valid(), text: 'x'.repeat(MAX_BODY_BYTES) });
    await expect4xx('oversized', big, JSON_TYPE, 413);
    const chunks = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 40; i++) controller.enqueue(new Uint8Array(16 * 1024).fill(0x20));
        controller.close();
      },
    });
    const response = await fetch(`${bot.url}/api/messages`, { method: 'POST', headers: JSON_TYPE, body: chunks, duplex: 'half' });
    await response.text();
    assert.equal(response.status, 413);
  });

  it('deeply nested JSON and prototype keys inside a well-formed activity are harmless', async () => {
    const depth = 50_000;
    const deep = `${'['.repeat(depth)}${']'.repeat(depth)}`;
    const message = JSON.stringify(valid()).replace(/}$/, `,"value":${deep},"entities":${deep}}`);
    const m = await rawPost(bot, message, JSON_TYPE);
    assert.ok(m.status < 500, `deep message: ${m.status}`);
    const invoke = JSON.stringify(cardActionActivity(REQUESTER, bot.connector.url, 'submitRequest', { email: 'x' })).replace(
      '"email":"x"',
      `"email":${deep},"justification":${deep}`,
    );
    const i = await rawPost(bot, invoke, JSON_TYPE);
    assert.ok(i.status < 500, `deep invoke: ${i.status}`);

    const polluting = JSON.stringify(cardActionActivity(REQUESTER, bot.connector.url, 'submitRequest', {})).replace(
      '"data":{}',
      '"data":{"__proto__":{"email":"a@b.com","justification":"x","polluted":true},"constructor":{"prototype":{"polluted":true}}}',
    );
    const p = await rawPost(bot, `{"__proto__":{"polluted":true},${polluting.slice(1)}`, JSON_TYPE);
    assert.equal(p.status, 200);
    assert.equal(({} as Record<string, unknown>).polluted, undefined, 'Object.prototype untouched');
    assert.match(p.text, /Enter the guest's email/, 'a __proto__ key is not read as the form');
  });

  it('other methods on /api/messages are 4xx', async () => {
    for (const method of ['GET', 'PUT', 'DELETE', 'PATCH']) {
      const response = await fetch(`${bot.url}/api/messages`, { method, headers: JSON_TYPE, body: method === 'GET' ? undefined : '{}' });
      await response.text();
      assert.ok(response.status >= 400 && response.status < 500, `${method}: ${response.status}`);
    }
  });

  it('afterwards: nothing was stored or invited, no error was logged, and the bot is healthy and works', async () => {
    const now = await sideEffects(bot, [REQUESTER.aadObjectId]);
    assert.equal(now.requests, baseline.requests);
    assert.equal(now.invitations, baseline.invitations);
    const errors = bot.logLines.slice(logMark).filter((line) => (JSON.parse(line) as { level: number }).level >= 50);
    assert.deepEqual(errors, []);
    assert.ok(await healthy(bot));
    const answer = await bot.invoke(REQUESTER, 'submitRequest', {
      email: uniqueGuestEmail(),
      justification: 'Still works',
      sendInvitationMessage: 'false',
    });
    assert.equal(answer.status, 200);
    assert.match(cardText(cardOf(answer)), /Pending approval/);
  });
});
