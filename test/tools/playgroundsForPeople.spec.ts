/**
 * One real Agents Playground per person behind the connector router (what `npm run dev` starts),
 * with a stub bot: each Playground announces the installation for its user on the router's
 * serviceUrl, and a chat the bot opens with Anna through the router is Anna's own personal chat in
 * her Playground (the one her page shows), while Rita's Playground never hears of it.
 */
import { strict as assert } from 'node:assert';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPlaygroundsFor, type PeoplePlaygrounds } from '../../tools/playgroundsForPeople';
import { ANNA, RITA } from '../../tools/teamsActivities';

const TENANT = '00000000-0000-4000-8000-00000000aaaa';

describe('one Agents Playground per person (local sandbox)', function () {
  this.timeout(90_000);
  let bot: http.Server;
  const received: any[] = [];
  let playgrounds: PeoplePlaygrounds | undefined;
  let folder: string;

  before(async () => {
    bot = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString('utf8')));
      req.on('end', () => {
        received.push(JSON.parse(body));
        res.writeHead(200);
        res.end();
      });
    });
    await new Promise<void>((r) => bot.listen(0, '127.0.0.1', () => r()));
    folder = mkdtempSync(join(tmpdir(), 'playgrounds-'));
    playgrounds = await startPlaygroundsFor({
      botEndpoint: `http://127.0.0.1:${(bot.address() as AddressInfo).port}/api/messages`,
      tenantId: TENANT,
      seats: [
        { key: 'rita', person: RITA, port: 0 },
        { key: 'anna', person: ANNA, port: 0 },
      ],
      folder,
    });
  });
  after(async () => {
    await playgrounds?.stop();
    await new Promise<void>((r) => bot.close(() => r()));
    rmSync(folder, { recursive: true, force: true });
  });

  it('each Playground tells the bot its user has the app, on the one serviceUrl, in their own chat', async () => {
    const deadline = Date.now() + 10_000;
    while (received.filter((a) => a.type === 'installationUpdate').length < 2 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 100));
    const installs = received.filter((a) => a.type === 'installationUpdate');
    assert.deepEqual(
      installs
        .map((a) => [
          a.from.aadObjectId,
          a.action,
          a.conversation.conversationType,
          a.conversation.id,
          a.serviceUrl,
          a.conversation.tenantId,
        ])
        .sort(),
      [RITA, ANNA]
        .map((p) => [p.aadObjectId, 'add', 'personal', `a:personal-${p.aadObjectId}`, playgrounds!.router.serviceUrl, TENANT])
        .sort(),
    );
  });

  it('a chat the bot opens with Anna is her personal chat in her Playground, and a message lands there only', async () => {
    const router = playgrounds!.router;
    const opened = await fetch(`${router.serviceUrl}/v3/conversations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        isGroup: false,
        bot: { id: '00000000-0000-4000-8000-00000000b0b0', name: 'Guest Access' },
        members: [{ id: ANNA.aadObjectId, name: '' }],
        tenantId: TENANT,
        channelData: { tenant: { id: TENANT } },
      }),
    });
    assert.equal(opened.status, 201);
    const { id } = (await opened.json()) as { id: string };
    assert.equal(id, `a:personal-${ANNA.aadObjectId}`);

    const sent = await fetch(`${router.serviceUrl}/v3/conversations/${encodeURIComponent(id)}/activities`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        type: 'message',
        text: 'card for anna 7f3a',
        from: { id: '00000000-0000-4000-8000-00000000b0b0' },
        recipient: { id: ANNA.aadObjectId },
        conversation: { id },
      }),
    });
    assert.ok(sent.status < 300, `message answered ${sent.status}`);
    await new Promise((r) => setTimeout(r, 300));
    assert.match(readFileSync(join(folder, 'anna', 'playground.log'), 'utf8'), /card for anna 7f3a/);
    assert.doesNotMatch(readFileSync(join(folder, 'rita', 'playground.log'), 'utf8'), /card for anna 7f3a|createConversation/);
  });
});
