/** Conversation references on Azurite: stored by canonical object id, read back, refreshed cheaply, removed. */
import { strict as assert } from 'node:assert';
import { ABSENT_REFRESH_MS, conversationRefsTableName, TableConversationRefs } from '../../../src/adapters/storage/tableConversationRefs';
import { testStorageConnectionString } from '../../support/env';
import { RequestLog, uniquePrefix } from './storageTestKit';

describe('TableConversationRefs (Azurite)', () => {
  const anna = '22222222-2222-4222-8222-222222222222';
  const address = {
    serviceUrl: 'https://smba.trafficmanager.net/emea/',
    channelId: 'msteams',
    conversationId: 'a:1Xy/z#?',
    tenantId: 'tenant-1',
    botId: '28:bot',
    botName: 'Guest Access',
    userId: '29:anna',
  };

  it('stores, reads (any spelling of the id), refreshes only on change or after the period, and removes', async () => {
    const log = new RequestLog();
    let now = 0;
    const refs = await TableConversationRefs.open({
      connectionString: testStorageConnectionString(),
      tablePrefix: uniquePrefix(),
      refreshMs: 60_000,
      now: () => now,
      clientOptions: { additionalPolicies: [{ position: 'perCall', policy: log.policy }] },
    });
    const writes = () => log.seen.filter((r) => r.method === 'PUT').length;
    assert.equal(await refs.get(anna), undefined);
    await refs.save(anna, address);
    assert.deepEqual(await refs.get(`{${anna.toUpperCase()}}`), address);
    assert.equal(writes(), 1);
    await refs.save(anna, { ...address });
    assert.equal(writes(), 1, 'unchanged within the period: no write');
    await refs.save(anna, { ...address, serviceUrl: 'https://smba.trafficmanager.net/amer/' });
    assert.equal(writes(), 2, 'a change is written at once');
    assert.equal((await refs.get(anna))?.serviceUrl, 'https://smba.trafficmanager.net/amer/');
    now += 60_000;
    await refs.save(anna, { ...address, serviceUrl: 'https://smba.trafficmanager.net/amer/' });
    assert.equal(writes(), 3, 'written again after the period');
    await refs.remove(anna);
    await refs.remove(anna);
    assert.equal(await refs.get(anna), undefined);
  });

  it('serves reads from memory: a stored chat for the period, "none stored" for a shorter while', async () => {
    const log = new RequestLog();
    let now = 0;
    const options = { connectionString: testStorageConnectionString(), tablePrefix: uniquePrefix(), refreshMs: 60_000, now: () => now };
    const refs = await TableConversationRefs.open({
      ...options,
      clientOptions: { additionalPolicies: [{ position: 'perCall', policy: log.policy }] },
    });
    const other = await TableConversationRefs.open(options); // another process on the same table
    const reads = () => log.seen.filter((r) => r.method === 'GET').length;
    assert.equal(await refs.get(anna), undefined);
    assert.equal(await refs.get(anna), undefined);
    assert.equal(reads(), 1, '"none stored" is remembered');
    await other.save(anna, address);
    now += ABSENT_REFRESH_MS;
    assert.deepEqual(await refs.get(anna), address, "another process's first save is seen once the absence is no longer believed");
    assert.equal(reads(), 2);
    for (let i = 0; i < 5; i++) assert.deepEqual(await refs.get(anna), address);
    assert.equal(reads(), 2, 'a stored chat is read once per period, not once per message');
    await other.save(anna, { ...address, conversationId: 'a:new' });
    now += 60_000;
    assert.equal((await refs.get(anna))?.conversationId, 'a:new', 'a change elsewhere is seen after the period');
    assert.equal(reads(), 3);
  });

  it('uses its own table next to the others', () => {
    assert.equal(conversationRefsTableName('contoso'), 'contosoConversationRefs');
  });
});
