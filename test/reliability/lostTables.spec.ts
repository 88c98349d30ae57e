/**
 * Storage that lost its data (an in-memory Azurite restarted on the same port under a running
 * bot): the bot creates its tables again on first use, says so loudly in its log, and the next
 * submit works.
 */
import { strict as assert } from 'node:assert';
import { TableServiceClient } from '@azure/data-tables';
import { startAzurite, type RunningAzurite } from '../../tools/azurite';
import { requestStoreTableNames } from '../../src/adapters/storage/tableRequestStore';
import { BotHarness, REQUESTER } from '../support/botHarness';
import { uniqueGuestEmail } from '../support/graphSandboxClient';

describe('lost tables', function () {
  this.timeout(60_000);
  let azurite: RunningAzurite | undefined;
  let bot: BotHarness | undefined;

  after(async () => {
    await bot?.stop();
    await azurite?.stop();
  });

  it('a submit after the storage lost every table works, recreates the tables and logs it loudly', async () => {
    azurite = await startAzurite();
    const { port, connectionString } = azurite;
    bot = await BotHarness.start({ env: { STORAGE_CONNECTION_STRING: connectionString } });
    await bot.submit(REQUESTER, { email: uniqueGuestEmail(), justification: 'Partner' });

    // Storage restarts empty, on the same address.
    await azurite.stop();
    azurite = await startAzurite({ port });
    const service = TableServiceClient.fromConnectionString(connectionString, { allowInsecureConnection: true });
    const names = async () => {
      const found: string[] = [];
      for await (const table of service.listTables()) if (table.name) found.push(table.name);
      return found;
    };
    assert.deepEqual(await names(), [], 'the new storage starts empty');

    const { requestId } = await bot.submit(REQUESTER, { email: uniqueGuestEmail(), justification: 'Partner' });
    const stored = await bot.app.workflow.store.get(requestId);
    assert.equal(stored?.value.status, 'Pending');

    const tables = requestStoreTableNames(bot.tablePrefix);
    const now = await names();
    for (const table of [tables.requests, tables.index]) assert.ok(now.includes(table), `${table} exists again`);
    const loud = bot.logLines
      .map((line) => JSON.parse(line) as { level: number; msg: string; table?: string })
      .filter((entry) => entry.level >= 50 && /was missing and has been recreated: data may have been lost/.test(entry.msg));
    assert.ok(
      loud.some((entry) => entry.table === tables.requests),
      'an error-level line names the Requests table',
    );
    // One line per table, not one per call that found it missing.
    assert.equal(new Set(loud.map((entry) => entry.table)).size, loud.length);
  });
});
