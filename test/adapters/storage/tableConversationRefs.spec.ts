/** Conversation references on Azurite: stored by canonical object id, read back, refreshed cheaply, removed. */
import { strict as assert } from 'node:assert';
import { conversationRefsTableName, TableConversationRefs } from '../../../src/adapters/storage/tableConversationRefs';
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

  it('uses its own table next to the others', () => {
    assert.equal(conversationRefsTableName('contoso'), 'contosoConversationRefs');
  });
});
