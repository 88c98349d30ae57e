/**
 * Our Shared Key Lite signing (src/adapters/storage/sharedKeyLite.ts) against Azurite, which checks
 * every signature as Azure does: each kind of call the store makes is accepted, a wrong key is
 * refused, and connection strings the SDK does not sign with an account key keep the SDK's handling.
 */
import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import type { TableClient } from '@azure/data-tables';
import { accountKeyOf } from '../../../src/adapters/storage/sharedKeyLite';
import { ensureTable, openTableClient } from '../../../src/adapters/storage/tableClients';
import { testStorageConnectionString } from '../../support/env';

const policyNames = (client: TableClient) => client.pipeline.getOrderedPolicies().map((policy) => policy.name);

/** The same connection string with another account key: well-formed, and wrong. */
function withKey(connectionString: string, key: string): string {
  return connectionString.replace(/AccountKey=[^;]*/i, `AccountKey=${key}`);
}

describe('Azure Tables: Shared Key Lite signing with the account key imported once', function () {
  this.timeout(20_000);

  it('signs every kind of call the store makes, and Azurite accepts each: table, write, read, query, transaction, delete', async () => {
    const table = `sharedkey${randomBytes(4).toString('hex')}`;
    const client = openTableClient({ connectionString: testStorageConnectionString() }, table);
    assert.ok(policyNames(client).includes('sharedKeyLite'), 'our policy signs');
    assert.ok(!policyNames(client).includes('tablesNamedKeyCredentialPolicy'), "the SDK's policy is gone");

    await ensureTable(client);
    await client.upsertEntity({ partitionKey: 'p', rowKey: 'a', n: 1 }, 'Replace');
    assert.equal((await client.getEntity<{ n: number }>('p', 'a')).n, 1);
    await client.submitTransaction([
      ['create', { partitionKey: 'p', rowKey: 'b', n: 2 }],
      ['update', { partitionKey: 'p', rowKey: 'a', n: 3 }, 'Merge'],
    ]);
    const rows: number[] = [];
    for await (const row of client.listEntities<{ n: number }>({ queryOptions: { filter: "PartitionKey eq 'p' and n ge 2" } }))
      rows.push(row.n);
    assert.deepEqual(rows.sort(), [2, 3]);
    await client.deleteEntity('p', 'b');
    await client.deleteTable();
  });

  it('Azurite checks the signature: a client with the wrong key is refused (403), so the calls above prove ours right', async () => {
    const wrong = withKey(testStorageConnectionString(), randomBytes(64).toString('base64'));
    const client = openTableClient({ connectionString: wrong }, `sharedkey${randomBytes(4).toString('hex')}`);
    assert.ok(policyNames(client).includes('sharedKeyLite'));
    await assert.rejects(
      () => client.createTable(),
      (err: unknown) => (err as { statusCode?: number }).statusCode === 403,
    );
  });

  it('reads the account and key as the SDK does, and leaves SAS connection strings to the SDK', () => {
    assert.deepEqual(
      accountKeyOf('DefaultEndpointsProtocol=https; accountname=acme ;AccountKey=a2V5PQ==;EndpointSuffix=core.windows.net'),
      { name: 'acme', key: 'a2V5PQ==' },
      'names without case, values after the first "=", elements trimmed',
    );
    assert.equal(accountKeyOf('UseDevelopmentStorage=true')?.name, 'devstoreaccount1');
    const sas = 'TableEndpoint=https://acme.table.core.windows.net/;SharedAccessSignature=sv=2020-08-04&ss=t&sig=abc';
    assert.equal(accountKeyOf(sas), undefined);
    const client = openTableClient({ connectionString: sas }, 'anytable');
    assert.ok(!policyNames(client).includes('sharedKeyLite'), 'a SAS client keeps the SDK handling');
  });
});
