/**
 * An upgrade from the layout before the open-request index (src/adapters/storage/legacyLayout.ts),
 * on Azurite: a request the old status index lists that still has work left is found again (its
 * open row, its cards in its own partition); a finished one is not made open; the old rows go;
 * opening again changes nothing.
 */
import assert from 'node:assert/strict';
import { TableClient } from '@azure/data-tables';
import { requestStoreTableNames, TableRequestStore } from '../../../src/adapters/storage/tableRequestStore';
import { legacyCardsTableName } from '../../../src/adapters/storage/legacyLayout';
import { toRequestEntity } from '../../../src/adapters/storage/requestEntity';
import { encodeKeyPart } from '../../../src/adapters/storage/tableKeys';
import { OPEN_PARTITION } from '../../../src/adapters/storage/requestIndex';
import { testStorageConnectionString } from '../../support/env';
import { rawTable, rowsIn, sampleRequest, secondsAfter, uniquePrefix } from './storageTestKit';

const BASE = '2025-03-01T08:00:00.000Z';

describe('TableRequestStore: moving the layout of an older version', () => {
  it('finds the open requests of the old status index again, with their cards; finished ones stay finished', async () => {
    const tablePrefix = uniquePrefix();
    const names = requestStoreTableNames(tablePrefix);
    const client = (name: string) =>
      TableClient.fromConnectionString(testStorageConnectionString(), name, { allowInsecureConnection: true });
    const [requests, index, oldCards] = [client(names.requests), client(names.index), client(legacyCardsTableName(tablePrefix))];
    await Promise.all([requests.createTable(), index.createTable(), oldCards.createTable()]);

    // What the old version left: a Pending request with a card, an Invited (finished) one, each with its status row.
    const pending = sampleRequest({ id: 'GR-OLDPENDING', createdAt: BASE });
    const invited = sampleRequest({ id: 'GR-OLDINVITED', status: 'Invited', createdAt: secondsAfter(BASE, 1) });
    for (const request of [pending, invited]) {
      await requests.createEntity(toRequestEntity(request));
      await index.createEntity({
        partitionKey: `status-${request.status}`,
        rowKey: `${request.createdAt}_${encodeKeyPart(request.id)}`,
        requestId: request.id,
        writtenAt: BASE,
      });
    }
    const card = {
      requestId: pending.id,
      approverId: 'approver-1',
      activityId: 'act-1',
      address: { serviceUrl: 'https://smba.example/emea/', channelId: 'msteams', conversationId: 'a:1' },
    };
    await oldCards.createEntity({
      partitionKey: encodeKeyPart(pending.id),
      rowKey: 'approver-1',
      json: JSON.stringify(card),
      activityId: 'act-1',
      conversationId: 'a:1',
    });

    const store = await TableRequestStore.open({ connectionString: testStorageConnectionString(), tablePrefix });
    assert.deepEqual(
      (await store.listByStatus('Pending', 10)).items.map((r) => r.id),
      [pending.id],
    );
    assert.deepEqual(await store.listApprovalMessages(pending.id), [card]);
    assert.deepEqual((await store.listByStatus('Invited', 10)).items, []);
    assert.deepEqual(await rowsIn(rawTable(names.index), 'status-Pending'), []);
    assert.deepEqual(await rowsIn(rawTable(names.index), 'status-Invited'), []);

    // Opened again (the next start): nothing left to move, nothing doubled.
    await TableRequestStore.open({ connectionString: testStorageConnectionString(), tablePrefix });
    assert.equal((await rowsIn(rawTable(names.index), OPEN_PARTITION)).length, 1);
  });
});
