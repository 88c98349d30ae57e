/** TableLeases against Azurite, with a hand-driven clock so leases expire without sleeping. */
import assert from 'node:assert/strict';
import { TableServiceClient } from '@azure/data-tables';
import { leasesTableName, TableLeases } from '../../../src/adapters/storage/tableLeases';
import { testStorageConnectionString } from '../../support/env';
import { ManualClock, uniquePrefix } from './storageTestKit';

const TTL = 30_000;

describe('TableLeases', () => {
  let tablePrefix: string;
  let clock: ManualClock;
  let leases: TableLeases;
  /** A second process: its own client, the same clock. */
  let other: TableLeases;

  beforeEach(async () => {
    tablePrefix = uniquePrefix();
    clock = new ManualClock();
    leases = await TableLeases.open({ connectionString: testStorageConnectionString(), tablePrefix, clock });
    other = await TableLeases.open({ connectionString: testStorageConnectionString(), tablePrefix, clock });
  });

  it('creates its table on first use and tolerates it existing', async () => {
    const service = TableServiceClient.fromConnectionString(testStorageConnectionString(), { allowInsecureConnection: true });
    const names: string[] = [];
    for await (const table of service.listTables()) if (table.name?.startsWith(tablePrefix)) names.push(table.name);
    assert.deepEqual(names, [leasesTableName(tablePrefix)]);
  });

  it('gives a free lease to exactly one of several racing owners', async () => {
    const owners = Array.from({ length: 8 }, (_, i) => `owner-${i}`);
    const results = await Promise.all(owners.map((o, i) => (i % 2 ? other : leases).tryAcquire('sweep', o, TTL)));
    assert.equal(results.filter(Boolean).length, 1);
  });

  it('lets the owner renew, extending the expiry, while others are refused', async () => {
    assert.equal(await leases.tryAcquire('sweep', 'a', TTL), true);
    assert.equal(await other.tryAcquire('sweep', 'b', TTL), false);
    clock.advance(TTL - 1000);
    assert.equal(await leases.tryAcquire('sweep', 'a', TTL), true, 'renewal');
    clock.advance(2000); // past the first expiry, within the renewed one
    assert.equal(await other.tryAcquire('sweep', 'b', TTL), false);
  });

  it('lets another owner take an expired lease, after which the old owner is refused', async () => {
    assert.equal(await leases.tryAcquire('sweep', 'a', TTL), true);
    clock.advance(TTL);
    assert.equal(await other.tryAcquire('sweep', 'b', TTL), true);
    assert.equal(await leases.tryAcquire('sweep', 'a', TTL), false);
  });

  it('gives an expired lease to exactly one of several racing owners', async () => {
    assert.equal(await leases.tryAcquire('sweep', 'a', TTL), true);
    clock.advance(TTL + 1);
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => (i % 2 ? other : leases).tryAcquire('sweep', `new-${i}`, TTL)));
    assert.equal(results.filter(Boolean).length, 1);
  });

  it('is released only by its owner', async () => {
    assert.equal(await leases.tryAcquire('sweep', 'a', TTL), true);
    await other.release('sweep', 'b');
    assert.equal(await other.tryAcquire('sweep', 'b', TTL), false, 'a non-owner release is a no-op');
    await leases.release('sweep', 'a');
    assert.equal(await other.tryAcquire('sweep', 'b', TTL), true);
    await leases.release('sweep', 'a'); // no longer ours: no-op
    assert.equal(await leases.tryAcquire('sweep', 'a', TTL), false);
    await leases.release('never-taken', 'a');
  });

  it('a holder releasing after its lease expired and was taken over leaves the new holder’s lease alone', async () => {
    assert.equal(await leases.tryAcquire('invite:r1', 'a', TTL), true);
    clock.advance(TTL + 1);
    assert.equal(await other.tryAcquire('invite:r1', 'b', TTL), true);
    await leases.release('invite:r1', 'a'); // its remembered version is gone: the delete is refused
    assert.equal(await leases.tryAcquire('invite:r1', 'c', TTL), false, 'b still holds it');
    await other.release('invite:r1', 'b');
    assert.equal(await leases.tryAcquire('invite:r1', 'c', TTL), true);
  });

  it('can be released by its owner through another instance (a restarted process)', async () => {
    assert.equal(await leases.tryAcquire('sweep', 'a', TTL), true);
    const restarted = await TableLeases.open({ connectionString: testStorageConnectionString(), tablePrefix, clock });
    await restarted.release('sweep', 'b'); // not the owner: no-op
    assert.equal(await other.tryAcquire('sweep', 'b', TTL), false);
    await restarted.release('sweep', 'a');
    assert.equal(await other.tryAcquire('sweep', 'b', TTL), true);
  });

  it('after a renewal, release still frees it', async () => {
    assert.equal(await leases.tryAcquire('sweep', 'a', TTL), true);
    assert.equal(await leases.tryAcquire('sweep', 'a', TTL), true);
    await leases.release('sweep', 'a');
    assert.equal(await other.tryAcquire('sweep', 'b', TTL), true);
  });

  it('keeps leases of different names independent', async () => {
    assert.equal(await leases.tryAcquire('invite:r1', 'a', TTL), true);
    assert.equal(await other.tryAcquire('invite:r2', 'b', TTL), true);
    assert.equal(await other.tryAcquire('invite/r1', 'b', TTL), true);
  });

  it('renews only a lease nobody wrote since our own last write (owner + eTag fencing)', async () => {
    assert.equal(await leases.renew('sweep', 'a', TTL), false, 'never acquired');
    assert.equal(await leases.tryAcquire('sweep', 'a', TTL), true);
    clock.advance(TTL - 1000);
    assert.equal(await leases.renew('sweep', 'a', TTL), true);
    clock.advance(2000); // past the first expiry, within the renewed one
    assert.equal(await other.tryAcquire('sweep', 'b', TTL), false);
    clock.advance(TTL); // lapsed: b takes it and gives it back at once
    assert.equal(await other.tryAcquire('sweep', 'b', TTL), true);
    await other.release('sweep', 'b');
    // Free again, but a has lost it meanwhile: renewal must not quietly take it back.
    assert.equal(await leases.renew('sweep', 'a', TTL), false);
    assert.equal(await other.tryAcquire('sweep', 'c', TTL), true);
  });

  it('refuses a non-positive ttl', async () => {
    await assert.rejects(leases.tryAcquire('sweep', 'a', 0), RangeError);
  });
});
