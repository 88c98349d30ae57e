/** The team registry on Azurite: register, rename, unregister, list; its own <prefix>Teams table. */
import { strict as assert } from 'node:assert';
import { TableTeamRegistry, teamsTableName } from '../../../src/adapters/storage/tableTeamRegistry';
import { testStorageConnectionString } from '../../support/env';
import { RequestLog, uniquePrefix } from './storageTestKit';

describe('TableTeamRegistry (Azurite)', () => {
  const team = {
    teamId: '19:abc/def#x?@thread.tacv2',
    groupId: '0f8fad5b-d9cb-469f-a165-70867728950e',
    name: 'Contoso Marketing',
    registeredAt: '2026-01-01T00:00:00.000Z',
  };

  it('registers (idempotently), renames, unregisters and lists teams', async () => {
    const registry = await TableTeamRegistry.open({ connectionString: testStorageConnectionString(), tablePrefix: uniquePrefix() });
    assert.deepEqual(await registry.list(), []);
    await registry.register(team);
    await registry.register(team);
    assert.deepEqual(await registry.list(), [team]);
    await registry.rename(team.teamId, 'Marketing & Sales');
    assert.equal((await registry.list())[0]?.name, 'Marketing & Sales');
    await registry.rename('19:unknown@thread.tacv2', 'Nobody');
    assert.equal((await registry.list()).length, 1, 'renaming an unknown team registers nothing');
    await registry.unregister(team.teamId);
    await registry.unregister(team.teamId);
    assert.deepEqual(await registry.list(), []);
  });

  it("reuses a listing for listCacheMs; its own changes show at once, another process's after that", async () => {
    const log = new RequestLog();
    const options = { connectionString: testStorageConnectionString(), tablePrefix: uniquePrefix() };
    const registry = await TableTeamRegistry.open({
      ...options,
      listCacheMs: 300,
      clientOptions: { additionalPolicies: [{ position: 'perCall', policy: log.policy }] },
    });
    const other = await TableTeamRegistry.open(options);
    const lists = () => log.seen.filter((r) => r.method === 'GET').length;
    await Promise.all([registry.list(), registry.list()]);
    assert.deepEqual(await registry.list(), []);
    assert.equal(lists(), 1, 'one read for concurrent and repeated forms');
    await registry.register(team);
    assert.deepEqual(await registry.list(), [team], 'its own change shows at once');
    await other.rename(team.teamId, 'Renamed elsewhere');
    assert.equal((await registry.list())[0]?.name, team.name, 'within the period the listing is reused');
    await new Promise((resolve) => setTimeout(resolve, 350));
    assert.equal((await registry.list())[0]?.name, 'Renamed elsewhere');
  });

  it('uses its own table next to the others', () => {
    assert.equal(teamsTableName('contoso'), 'contosoTeams');
  });
});
