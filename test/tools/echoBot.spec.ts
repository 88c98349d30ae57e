/**
 * The benchmark's baselines (tools/echoBot.ts) over real HTTP: the echo bot answers a message with
 * one reply and an invoke from memory; the floor bot answers the same, each invoke only once its
 * one entity is in Azurite. The figures the bench compares against are only as honest as this.
 */
import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import { startEchoBot, type RunningEchoBot } from '../../tools/echoBot';
import { startFakeConnector, type FakeConnector } from '../../tools/fakeConnector';
import { cardActionActivity, messageActivity, postActivity, type TeamsPerson } from '../../tools/teamsActivities';
import { rawTable, rowsIn } from '../adapters/storage/storageTestKit';
import { testStorageConnectionString } from '../support/env';

const PERSON: TeamsPerson = { aadObjectId: 'aaaaaaaa-0000-4000-8000-00000000e401', name: 'Echo Person' };

const post = (bot: RunningEchoBot, activity: Record<string, unknown>) => postActivity(bot.url, activity, { timeoutMs: 10_000 });

describe('benchmark baselines: the echo bot and the floor bot', function () {
  this.timeout(30_000);
  let connector: FakeConnector;
  const running: RunningEchoBot[] = [];

  before(async () => {
    connector = await startFakeConnector();
  });
  after(async () => {
    for (const bot of running) await bot.stop();
    await connector.stop();
  });

  const start = async (options: Parameters<typeof startEchoBot>[0]) => {
    const bot = await startEchoBot({ host: '127.0.0.1', ...options });
    running.push(bot);
    return bot;
  };

  it('echo bot: a message gets one reply through the connector, an invoke a card and no call', async () => {
    const bot = await start({});
    connector.reset();
    const message = await post(bot, messageActivity(PERSON, connector.url, 'hello'));
    assert.equal(message.status, 200);
    assert.equal(connector.calls.length, 1);
    assert.match(JSON.stringify(connector.calls[0]), /echo: hello/);
    const invoke = await post(bot, cardActionActivity(PERSON, connector.url, 'approve', { requestId: 'GR-0000000000' }));
    assert.equal(invoke.status, 200);
    assert.match(JSON.stringify(invoke.body), /echo: approve/);
    assert.equal(connector.calls.length, 1, 'an invoke makes no connector call');
  });

  it('floor bot: each invoke is answered after exactly one entity is stored; a message stores nothing', async () => {
    const table = `echofloor${randomBytes(4).toString('hex')}`;
    const bot = await start({ durableWrite: { connectionString: testStorageConnectionString(), table } });
    connector.reset();
    const rows = () => rowsIn(rawTable(table), 'floor');
    assert.equal((await post(bot, messageActivity(PERSON, connector.url, 'hello'))).status, 200);
    assert.equal((await rows()).length, 0, 'a message writes nothing');
    assert.equal(connector.calls.length, 1);
    for (const verb of ['submitRequest', 'approve']) {
      const invoke = await post(bot, cardActionActivity(PERSON, connector.url, verb, {}));
      assert.equal(invoke.status, 200);
      assert.match(JSON.stringify(invoke.body), new RegExp(`echo: ${verb}`));
    }
    // Read after the answers: each was given once its write had landed.
    const stored = await rows();
    assert.deepEqual(stored.map((r) => r.verb).sort(), ['approve', 'submitRequest']);
    assert.equal(connector.calls.length, 1, 'an invoke makes no connector call');
  });

  it('floor bot with two writes per invoke (--floor-writes 2): each invoke is answered after both are stored', async () => {
    const table = `echofloor${randomBytes(4).toString('hex')}`;
    const bot = await start({ durableWrite: { connectionString: testStorageConnectionString(), table, writes: 2 } });
    for (const verb of ['submitRequest', 'approve']) {
      assert.equal((await post(bot, cardActionActivity(PERSON, connector.url, verb, {}))).status, 200);
      // Read after each answer: both of its writes had landed before it was given.
      const stored = (await rowsIn(rawTable(table), 'floor')).filter((r) => r.verb === verb);
      assert.deepEqual(stored.map((r) => r.write).sort(), [1, 2]);
    }
  });
});
